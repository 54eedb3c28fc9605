import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { z } from 'zod';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const CORPUS_DIR = join(ROOT, 'bench', 'corpus');
export const MODEL_FILE = join(ROOT, 'model', 'ranker.json');

export const CorpusItem = z.object({
  text: z.string(),
  expect: z.array(z.string()),
  lang: z.enum(['en', 'nl', 'sv']),
  tags: z.array(z.string()).default([]),
  locale: z.string().optional(),
});
export type CorpusItem = z.infer<typeof CorpusItem>;

/** One writer's messages: a corpus file, or the tuning set. */
export interface Writer {
  name: string;
  items: CorpusItem[];
}

function readItems(path: string): CorpusItem[] {
  return z.array(CorpusItem).parse(parse(readFileSync(path, 'utf8')));
}

/** The corpus writers (bench/corpus/*.yaml), and the tuning set as a writer of its own. */
export function readWriters(): Writer[] {
  // In the writers' order: negatives, w1, w2, … w10 (by number, not as text).
  const files = existsSync(CORPUS_DIR) ? readdirSync(CORPUS_DIR).filter((f) => f.endsWith('.yaml')).sort((a, b) => a.localeCompare(b, 'en', { numeric: true })) : [];
  const writers = files.map((f) => ({ name: f.slice(0, -5), items: readItems(join(CORPUS_DIR, f)) }));
  writers.push({ name: 'tuning', items: readItems(join(ROOT, 'bench', 'fixtures', 'labelled.yaml')) });
  return writers;
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((d) => (d.isDirectory() ? filesUnder(join(dir, d.name)) : [join(dir, d.name)]))
    .sort();
}

/**
 * A hash of everything the model is trained from: the corpus, the tuning set, the knowledge, and
 * the code that turns them into features. The committed model carries it; a test recomputes it.
 * With `featuresOnly`, the training script itself is left out: the hash of the candidates' features.
 */
export function trainingInputsHash(options: { featuresOnly?: boolean } = {}): string {
  const hash = createHash('sha256');
  const files = [
    ...(existsSync(CORPUS_DIR) ? filesUnder(CORPUS_DIR) : []),
    join(ROOT, 'bench', 'fixtures', 'labelled.yaml'),
    ...filesUnder(join(ROOT, 'knowledge')),
    ...filesUnder(join(ROOT, 'src', 'core', 'recognise')),
    join(ROOT, 'src', 'core', 'text', 'clean.ts'),
    join(ROOT, 'src', 'core', 'dialogue', 'decision.ts'),
    join(ROOT, 'src', 'core', 'nlp', 'natural.ts'),
    // Its function words are the recognisers' stop words.
    join(ROOT, 'src', 'core', 'language', 'markers.ts'),
    ...(options.featuresOnly ? [] : [join(ROOT, 'scripts', 'train.ts'), join(ROOT, 'scripts', 'boost.ts')]),
    join(ROOT, 'scripts', 'training-data.ts'),
  ];
  for (const file of files) {
    hash.update(relative(ROOT, file).split('\\').join('/'));
    hash.update('\0');
    hash.update(readFileSync(file));
    hash.update('\0');
  }
  return hash.digest('hex');
}

/**
 * The shipped model never sees the test writers (their messages, and w6's share of the
 * negatives); its thresholds are chosen by cross-validation over the others, writer by writer.
 * The accuracy test reads the test writers' part.
 */
export const TEST_WRITERS = ['w6', 'w15', 'w28'] as const;
export type TestWriter = (typeof TEST_WRITERS)[number];

/**
 * Whether the bot's reply is right for a labelled message: its entry answered first (all of them,
 * and only them, for several errors; offered or answered for an ambiguous one), and nothing at all,
 * answered or offered, for a negative. The bench and the training script count alike.
 */
export function rightAnswer(item: { expect: readonly string[]; tags: readonly string[] }, answered: readonly string[], offered: readonly string[]): boolean {
  if (item.expect.length === 0) return answered.length === 0 && offered.length === 0;
  if (item.tags.includes('ambiguous')) return item.expect.every((id) => answered.includes(id) || offered.includes(id));
  if (item.expect.length > 1) return item.expect.every((id) => answered.includes(id)) && answered.length === item.expect.length;
  return answered[0] === item.expect[0];
}

/** The positive writers, in order: w1, w2, … */
export function positiveWriters(writers: Writer[]): string[] {
  return writers.map((w) => w.name).filter((n) => /^w\d+$/u.test(n));
}

/**
 * The hard negatives were written alongside the first seven writers and are shared among them,
 * round robin: writers added later take no share, so the test writer's share never changes.
 */
export const NEGATIVE_FOLDS = 7;

/** Which fold a negative belongs to: the one of the writer at that position, round robin. */
export function negativeFold(position: number, folds: number = NEGATIVE_FOLDS): number {
  return position % Math.max(1, folds);
}

/** A test writer's messages and its share of the negatives: never trained or tuned on. */
export function heldOutItems(writers: Writer[], name: TestWriter): CorpusItem[] {
  const names = positiveWriters(writers);
  const fold = names.indexOf(name);
  const test = writers.find((w) => w.name === name)?.items ?? [];
  const negatives = (writers.find((w) => w.name === 'negatives')?.items ?? []).filter((_, i) => negativeFold(i) === fold);
  return [...test, ...negatives];
}
