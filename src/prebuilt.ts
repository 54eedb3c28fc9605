import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { deserialize, serialize } from 'node:v8';
import type { Prepared } from './core/engine.ts';

/**
 * What `npm run build` computes from the knowledge, intents and model, stored with V8's serializer
 * (which keeps Maps, Sets and shared references): start-up reads it instead of parsing, linting and
 * training. It is used only while the sources are byte for byte the ones it was built from.
 */

/** Changes when the stored shape changes, so that an older file is not read as a newer one. */
const FORMAT = 1;

interface Stored {
  format: number;
  sources: string;
  prepared: Prepared;
}

/** A digest of every file the engine is prepared from: their paths and contents. */
export function sourcesDigest(paths: { knowledgeDir: string; intentsDir: string; modelFile: string }): string {
  const hash = createHash('sha256');
  const add = (file: string, root: string) => {
    hash.update(`${relative(root, file)}\0`);
    hash.update(readFileSync(file));
    hash.update('\0');
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
  const stored: Stored = { format: FORMAT, sources, prepared };
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
  if (stored.format !== FORMAT || !stored.prepared) return { stale: 'it was built by another version' };
  if (stored.sources !== sources) return { stale: 'the knowledge, intents or model changed since the build' };
  return { prepared: stored.prepared };
}
