import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { deserialize, serialize } from 'node:v8';
import type { Prepared } from './core/engine.ts';

/**
 * What `npm run build` computes from the knowledge, intents and model, stored with V8's serializer
 * (which keeps Maps, Sets and shared references): start-up reads it instead of parsing, linting and
 * training. It is used only while the source files are the ones it was built from (same names, sizes
 * and modification times).
 */

/** Changes when the stored shape changes, so that an older file is not read as a newer one. */
const FORMAT = 1;

interface Stored {
  format: number;
  sources: string;
  prepared: Prepared;
  /** The parts that read back faster as JSON (plain arrays of look-alike objects) than through V8's deserializer. */
  json: { model: string; postings: string; deletions: string };
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
  const json = {
    model: JSON.stringify(prepared.model),
    postings: JSON.stringify([...prepared.bm25.postings]),
    deletions: JSON.stringify([...prepared.index.deletions]),
  };
  const rest = { ...prepared, model: undefined, bm25: { ...prepared.bm25, postings: undefined }, index: { ...prepared.index, deletions: undefined } };
  const stored = { format: FORMAT, sources, prepared: rest, json };
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
  if (stored.format !== FORMAT || !stored.prepared || !stored.json) return { stale: 'it was built by another version' };
  if (stored.sources !== sources) return { stale: 'the knowledge, intents or model changed since the build' };
  const { prepared, json } = stored;
  prepared.model = JSON.parse(json.model) as Prepared['model'];
  prepared.bm25.postings = new Map(JSON.parse(json.postings) as [string, Prepared['bm25']['postings'] extends Map<string, infer V> ? V : never][]);
  prepared.index.deletions = new Map(JSON.parse(json.deletions) as [string, string[]][]);
  return { prepared };
}
