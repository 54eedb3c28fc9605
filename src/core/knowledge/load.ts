import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { parseDocument } from 'yaml';
import type { z } from 'zod';
import { checkEntries } from './lint.ts';
import { KnowledgeError, problemsFromZod, type Problem } from './problems.ts';
import { EntrySchema, GlossarySchema, PRODUCTS, SourcesSchema, type Entry, type Glossary, type Sources } from './schema.ts';

export interface KnowledgeBase {
  entries: Entry[];
  glossary: Glossary;
  sources: Sources;
}

export interface ReadResult {
  /** Entries that passed their schema (the rest are reported in `problems`). */
  entries: Entry[];
  glossary?: Glossary;
  sources?: Sources;
  problems: Problem[];
  /** How many entry files were read, valid or not. */
  files: number;
}

const MAX_FILE_BYTES = 256 * 1024;
const ROOT_FILES = new Set(['glossary.yaml', 'sources.yaml', 'README.md']);

/**
 * Reads and validates every file under `dir` (the `knowledge/` folder). Never throws for a bad
 * file: each problem names the file and the field.
 */
export function readKnowledge(dir: string, displayRoot = join(dir, '..')): ReadResult {
  const problems: Problem[] = [];
  const show = (path: string) => relative(displayRoot, path).split(sep).join('/');
  const entries: Entry[] = [];
  let files = 0;

  let rootNames: string[];
  try {
    rootNames = readdirSync(dir);
  } catch {
    return { entries, problems: [{ file: show(dir), field: '', message: 'the knowledge folder does not exist or cannot be read' }], files };
  }

  for (const name of rootNames.sort()) {
    if (name.startsWith('.')) continue;
    const path = join(dir, name);
    if ((PRODUCTS as readonly string[]).includes(name) && statSync(path).isDirectory()) continue;
    if (!ROOT_FILES.has(name)) {
      problems.push({ file: show(path), field: '', message: `unexpected file or folder: entries belong in ${PRODUCTS.map((p) => `knowledge/${p}/`).join(', ')}` });
    }
  }

  const glossary = readOne(join(dir, 'glossary.yaml'), GlossarySchema, show, problems);
  const sources = readOne(join(dir, 'sources.yaml'), SourcesSchema, show, problems);

  const paths = new Map<Entry, string>();
  for (const product of PRODUCTS) {
    const productDir = join(dir, product);
    let names: string[];
    try {
      names = readdirSync(productDir).sort();
    } catch {
      problems.push({ file: show(productDir), field: '', message: 'folder is missing' });
      continue;
    }
    for (const name of names) {
      if (name.startsWith('.')) continue;
      const path = join(productDir, name);
      if (!name.endsWith('.yaml')) {
        problems.push({ file: show(path), field: '', message: 'unexpected file: entries are `<slug>.yaml` files' });
        continue;
      }
      files += 1;
      const entry = readOne(path, EntrySchema, show, problems);
      if (!entry) continue;
      const expectedId = `${product}/${name.slice(0, -'.yaml'.length)}`;
      if (entry.id !== expectedId) {
        problems.push({ file: show(path), field: 'id', message: `must be "${expectedId}" (the folder and file name), found "${entry.id}"` });
      }
      entries.push(entry);
      paths.set(entry, show(path));
    }
  }

  problems.push(...checkEntries(entries, (e) => paths.get(e) ?? e.id, sources, show(join(dir, 'sources.yaml'))));
  return { entries, glossary, sources, problems, files };
}

/** Reads the knowledge base for the bot; throws one KnowledgeError listing every problem. */
export function loadKnowledgeBase(dir: string): KnowledgeBase {
  const result = readKnowledge(dir);
  if (result.problems.length > 0 || !result.glossary || !result.sources) throw new KnowledgeError(result.problems);
  return { entries: result.entries, glossary: result.glossary, sources: result.sources };
}

/** Reads one YAML file against a schema; each problem (syntax, size, encoding, field) goes to `problems`. */
export function readOne<S extends z.ZodType>(
  path: string,
  schema: S,
  show: (p: string) => string,
  problems: Problem[],
): z.infer<S> | undefined {
  const file = show(path);
  let raw: Buffer;
  try {
    raw = readFileSync(path);
  } catch {
    problems.push({ file, field: '', message: 'file is missing or cannot be read' });
    return undefined;
  }
  if (raw.length > MAX_FILE_BYTES) {
    problems.push({ file, field: '', message: `file is ${raw.length} bytes; the limit is ${MAX_FILE_BYTES}` });
    return undefined;
  }
  if (raw.includes(0)) {
    problems.push({ file, field: '', message: 'file is binary, not YAML text' });
    return undefined;
  }
  const source = raw.toString('utf8');
  if (source.includes('\uFFFD')) {
    problems.push({ file, field: '', message: 'file is not valid UTF-8' });
    return undefined;
  }
  const doc = parseDocument(source, { prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    for (const error of doc.errors.slice(0, 3)) {
      const at = error.linePos?.[0];
      const where = at ? ` at line ${at.line}, column ${at.col}` : '';
      const what = (error.message.split('\n')[0] ?? '').replace(/ at line \d+, column \d+:?$/u, '');
      problems.push({ file, field: '', message: `YAML syntax error${where}: ${what}` });
    }
    return undefined;
  }
  const data: unknown = doc.toJS();
  if (data === null || data === undefined) {
    problems.push({ file, field: '', message: 'file is empty' });
    return undefined;
  }
  const parsed = schema.safeParse(data);
  if (!parsed.success) {
    problems.push(...problemsFromZod(file, parsed.error.issues, data));
    return undefined;
  }
  return parsed.data;
}
