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
const FORMAT = 2;

/** The index's parts that only some messages read: questions read the first four, typos the rest. */
const LAZY = ['bodies', 'bodyIdf', 'bodyPostings', 'askedPostings', 'stemLanguages', 'codeDeletions'] as const;
type Lazy = (typeof LAZY)[number];

interface Stored {
  format: number;
  sources: string;
  prepared: Prepared;
  /** The parts that read back faster as JSON (plain arrays of look-alike objects) than through V8's deserializer. */
  json: { model: string; postings: string; deletions: string };
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
    deletions: JSON.stringify([...index.deletions]),
  };
  const lazy = {} as Record<Lazy, Uint8Array>;
  for (const key of LAZY) lazy[key] = serialize(key === 'bodies' ? index.bodies.map((body) => ({ ...body, entry: body.entry.id })) : index[key]);
  const eager = { ...index, deletions: undefined, ...Object.fromEntries(LAZY.map((key) => [key, undefined])) };
  const stored = { format: FORMAT, sources, prepared: { ...prepared, model: undefined, bm25: { ...prepared.bm25, postings: undefined }, index: eager }, json, lazy };
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
  if (stored.format !== FORMAT || !stored.prepared || !stored.json || !stored.lazy) return { stale: 'it was built by another version' };
  if (stored.sources !== sources) return { stale: 'the knowledge, intents or model changed since the build' };
  const { prepared, json, lazy } = stored;
  const { index } = prepared;
  prepared.model = JSON.parse(json.model) as Prepared['model'];
  prepared.bm25.postings = new Map(JSON.parse(json.postings) as [string, Prepared['bm25']['postings'] extends Map<string, infer V> ? V : never][]);
  // Only a word the index doesn't hold needs the typo look-up: many messages never read it.
  index.deletions = new LazyMap<string, string[]>(json.deletions);
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

/** A Map whose entries are parsed from JSON (as `[key, value]` pairs) the first time it is read. */
class LazyMap<K, V> extends Map<K, V> {
  #json: string | undefined;

  constructor(json: string) {
    super();
    this.#json = json;
  }

  #load(): void {
    if (this.#json === undefined) return;
    const pairs = JSON.parse(this.#json) as [K, V][];
    this.#json = undefined;
    for (const [key, value] of pairs) super.set(key, value);
  }

  override get(key: K): V | undefined {
    this.#load();
    return super.get(key);
  }
  override has(key: K): boolean {
    this.#load();
    return super.has(key);
  }
  override set(key: K, value: V): this {
    this.#load();
    return super.set(key, value);
  }
  override delete(key: K): boolean {
    this.#load();
    return super.delete(key);
  }
  override clear(): void {
    this.#json = undefined;
    super.clear();
  }
  override get size(): number {
    this.#load();
    return super.size;
  }
  override forEach(callback: (value: V, key: K, map: Map<K, V>) => void, thisArg?: unknown): void {
    this.#load();
    super.forEach(callback, thisArg);
  }
  override entries(): MapIterator<[K, V]> {
    this.#load();
    return super.entries();
  }
  override keys(): MapIterator<K> {
    this.#load();
    return super.keys();
  }
  override values(): MapIterator<V> {
    this.#load();
    return super.values();
  }
  override [Symbol.iterator](): MapIterator<[K, V]> {
    return this.entries();
  }
}
