import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse, stringify } from 'yaml';

export const VALID_KB = fileURLToPath(new URL('../fixtures/kb-valid', import.meta.url));

/** A copy of the valid fixture knowledge base in a temporary `…/knowledge` folder. */
export function copyValidKnowledge(): { dir: string; cleanup: () => void } {
  const parent = mkdtempSync(join(tmpdir(), 'kb-'));
  const dir = join(parent, 'knowledge');
  cpSync(VALID_KB, dir, { recursive: true });
  return { dir, cleanup: () => rmSync(parent, { recursive: true, force: true }) };
}

/** Splits `locales.nl.causes[0].actions[1]` into keys and indexes. */
function keys(path: string): (string | number)[] {
  return path.split(/\.|(?=\[)/u).map((k) => (k.startsWith('[') ? Number(k.slice(1, -1)) : k));
}

type Node = Record<string | number, unknown>;

function parentOf(data: unknown, path: string): [Node, string | number] {
  const ks = keys(path);
  const last = ks.pop() as string | number;
  let cur = data as Node;
  for (const k of ks) cur = cur[k] as Node;
  return [cur, last];
}

export function setIn(data: unknown, path: string, value: unknown): void {
  const [parent, key] = parentOf(data, path);
  parent[key] = value;
}

export function deleteIn(data: unknown, path: string): void {
  const [parent, key] = parentOf(data, path);
  if (Array.isArray(parent) && typeof key === 'number') parent.splice(key, 1);
  else delete parent[key];
}

export interface Mutation {
  file: string;
  set?: { path: string; value: unknown };
  delete?: string;
  raw?: string;
  binary?: boolean;
  remove?: boolean;
}

export function applyMutation(dir: string, m: Mutation): void {
  const path = join(dir, m.file);
  if (m.remove) return rmSync(path);
  if (m.binary) return writeFileSync(path, Buffer.from([0x76, 0x00, 0xff, 0xfe, 0x01]));
  if (m.raw !== undefined) return writeFileSync(path, m.raw);
  const data: unknown = parse(readFileSync(path, 'utf8'));
  if (m.set) setIn(data, m.set.path, m.set.value);
  if (m.delete) deleteIn(data, m.delete);
  writeFileSync(path, stringify(data));
}
