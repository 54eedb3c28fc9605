import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { deserialize, serialize } from 'node:v8';
import type { Prepared } from './core/engine.ts';
import type { Body } from './core/recognise/index.ts';

/**
 * What `npm run build` computes from the knowledge, intents and model, stored with V8's serializer
 * (which keeps Maps, Sets and shared references): start-up reads it instead of parsing, linting and
 * training. It is used only while the source files are the ones it was built from (same names, sizes
 * and modification times).
 */

/** Changes when the stored shape changes, so that an older file is not read as a newer one. */
const FORMAT = 3;

/** The index's parts that only some messages read: questions read the first four, typos the rest. */
const LAZY = ['bodies', 'bodyIdf', 'bodyPostings', 'askedPostings', 'stemLanguages', 'codeDeletions'] as const;
type Lazy = (typeof LAZY)[number];

interface Stored {
  format: number;
  sources: string;
  prepared: Prepared;
  /** The parts that read back faster as JSON (plain arrays of look-alike objects) than through V8's deserializer. */
  json: { model: string; postings: string };
  /** The typo look-up, sorted (see SortedLookup). */
  deletions: SortedData;
  /** The parts read when they are first used, each serialized on its own (entries by id). */
  lazy: Record<Lazy, Uint8Array>;
}

/**
 * A digest of every file the engine is prepared from: each one's path, size and modification
 * time, so that start-up reads no file's contents to tell whether the build still fits.
 */
export function sourcesDigest(paths: { knowledgeDir: string; intentsDir: string; modelFile: string }): string {
  const hash = createHash('sha256');
  const add = (file: string, root: string) => {
    const { size, mtimeMs } = statSync(file);
    hash.update(`${relative(root, file)}\0${size.toString()}\0${mtimeMs.toString()}\0`);
  };
  for (const dir of [paths.knowledgeDir, paths.intentsDir]) {
    const files = readdirSync(dir, { recursive: true, withFileTypes: true })
      .filter((d) => d.isFile())
      .map((d) => join(d.parentPath, d.name))
      .sort();
    for (const file of files) add(file, dir);
  }
  add(paths.modelFile, join(paths.modelFile, '..'));
  return hash.digest('hex');
}

export function writePrebuilt(file: string, prepared: Prepared, sources: string): void {
  const { index } = prepared;
  const json = {
    model: JSON.stringify(prepared.model),
    postings: JSON.stringify([...prepared.bm25.postings]),
  };
  const lazy = {} as Record<Lazy, Uint8Array>;
  for (const key of LAZY) lazy[key] = serialize(key === 'bodies' ? index.bodies.map((body) => ({ ...body, entry: body.entry.id })) : index[key]);
  const eager = { ...index, deletions: undefined, ...Object.fromEntries(LAZY.map((key) => [key, undefined])) };
  const stored = { format: FORMAT, sources, deletions: sortedData(index.deletions), prepared: { ...prepared, model: undefined, bm25: { ...prepared.bm25, postings: undefined }, index: eager }, json, lazy };
  // Written beside and renamed, so that a process starting meanwhile never reads half a file.
  writeFileSync(`${file}.tmp`, serialize(stored));
  renameSync(`${file}.tmp`, file);
}

/** The prepared engine, or why it can't be used: missing, of another format, or built from other sources. */
export function readPrebuilt(file: string, sources: string): { prepared: Prepared } | { stale: string } {
  let stored: Partial<Stored>;
  try {
    stored = deserialize(readFileSync(file)) as Partial<Stored>;
  } catch (error) {
    return { stale: (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'it has not been built' : 'it is damaged' };
  }
  if (stored.format !== FORMAT || !stored.prepared || !stored.json || !stored.lazy || !stored.deletions) return { stale: 'it was built by another version' };
  if (stored.sources !== sources) return { stale: 'the knowledge, intents or model changed since the build' };
  const { prepared, json, lazy, deletions } = stored;
  const { index } = prepared;
  prepared.model = JSON.parse(json.model) as Prepared['model'];
  prepared.bm25.postings = new Map(JSON.parse(json.postings) as [string, Prepared['bm25']['postings'] extends Map<string, infer V> ? V : never][]);
  index.deletions = new SortedLookup(deletions);
  for (const key of LAZY) {
    Object.defineProperty(index, key, {
      configurable: true,
      enumerable: true,
      get() {
        const stored: unknown = deserialize(lazy[key]);
        const value = key === 'bodies' ? (stored as (Omit<Body, 'entry'> & { entry: string })[]).map((body) => ({ ...body, entry: index.entries.get(body.entry)! })) : stored;
        Object.defineProperty(index, key, { value, writable: true, enumerable: true, configurable: true });
        return value;
      },
    });
  }
  return { prepared };
}

/** A map of strings to lists of strings as three flat parts: V8 reads them back at once. */
interface SortedData {
  /** The keys, sorted. */
  keys: string[];
  /** Every key's values, in key order, joined by SEPARATOR. */
  values: string;
  /** Where each key's values start in `values`; one more at the end. */
  offsets: Int32Array;
}

const SEPARATOR = '\u0000';

function sortedData(map: Map<string, string[]>): SortedData {
  const keys = [...map.keys()].sort();
  const offsets = new Int32Array(keys.length + 1);
  let values = '';
  keys.forEach((key, i) => {
    offsets[i] = values.length;
    values += map.get(key)!.join(SEPARATOR);
  });
  offsets[keys.length] = values.length;
  return { keys, values, offsets };
}

/**
 * The typo look-up (a stem's one-letter deletions → stems) answered by binary search over sorted
 * keys: reading it at start is three values, not eleven thousand lists. `get` and `has` are what the
 * engine uses; anything else first builds the whole Map.
 */
class SortedLookup extends Map<string, string[]> {
  #data: SortedData | undefined;

  constructor(data: SortedData) {
    super();
    this.#data = data;
  }

  #find(key: string): number {
    const keys = this.#data!.keys;
    let low = 0;
    let high = keys.length - 1;
    while (low <= high) {
      const mid = (low + high) >>> 1;
      const probe = keys[mid]!;
      if (probe === key) return mid;
      if (probe < key) low = mid + 1;
      else high = mid - 1;
    }
    return -1;
  }

  #materialise(): void {
    const data = this.#data;
    if (!data) return;
    this.#data = undefined;
    data.keys.forEach((key, i) => super.set(key, data.values.slice(data.offsets[i], data.offsets[i + 1]).split(SEPARATOR)));
  }

  override get(key: string): string[] | undefined {
    if (!this.#data) return super.get(key);
    const i = this.#find(key);
    return i === -1 ? undefined : this.#data.values.slice(this.#data.offsets[i], this.#data.offsets[i + 1]).split(SEPARATOR);
  }
  override has(key: string): boolean {
    return this.#data ? this.#find(key) !== -1 : super.has(key);
  }
  override set(key: string, value: string[]): this {
    this.#materialise();
    return super.set(key, value);
  }
  override delete(key: string): boolean {
    this.#materialise();
    return super.delete(key);
  }
  override clear(): void {
    this.#data = undefined;
    super.clear();
  }
  override get size(): number {
    return this.#data ? this.#data.keys.length : super.size;
  }
  override forEach(callback: (value: string[], key: string, map: Map<string, string[]>) => void, thisArg?: unknown): void {
    this.#materialise();
    super.forEach(callback, thisArg);
  }
  override entries(): MapIterator<[string, string[]]> {
    this.#materialise();
    return super.entries();
  }
  override keys(): MapIterator<string> {
    this.#materialise();
    return super.keys();
  }
  override values(): MapIterator<string[]> {
    this.#materialise();
    return super.values();
  }
  override [Symbol.iterator](): MapIterator<[string, string[]]> {
    return this.entries();
  }
}
