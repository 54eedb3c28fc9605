import type { WordModel } from './model-schema.ts';
import { messageStems } from './bm25.ts';

/**
 * What the knowledge text cannot know: the words people use for each error. A naive Bayes model
 * over the stems of labelled messages (each message counts a stem once), with one more class for
 * messages that are about none of our entries. It is trained by `npm run train` and ships inside
 * the model file; the ranker reads its posteriors as features.
 */
export type { WordModel } from './model-schema.ts';

export const NONE = '';
/** Add-α smoothing of the stem counts. */
const ALPHA = 0.5;
/** Trains the model; stems seen in fewer than `minMessages` messages are left out. */
export function trainWords(examples: readonly { text: string; labels: readonly string[] }[], minMessages = 2): WordModel {
  const classes = [...new Set(examples.flatMap((e) => (e.labels.length ? e.labels : [NONE])))].sort();
  const at = new Map(classes.map((c, i) => [c, i]));
  const docs = new Array<number>(classes.length).fill(0);
  const counts = new Map<string, Map<number, number>>();
  const seen = new Map<string, number>();
  for (const example of examples) {
    const labels = (example.labels.length ? example.labels : [NONE]).map((l) => at.get(l)!);
    for (const c of labels) docs[c]! += 1;
    for (const s of messageStems(example.text)) {
      seen.set(s, (seen.get(s) ?? 0) + 1);
      const byClass = counts.get(s) ?? new Map<number, number>();
      for (const c of labels) byClass.set(c, (byClass.get(c) ?? 0) + 1);
      counts.set(s, byClass);
    }
  }
  const totals = new Array<number>(classes.length).fill(0);
  const stems: Record<string, number[]> = {};
  for (const s of [...counts.keys()].sort()) {
    if ((seen.get(s) ?? 0) < minMessages) continue;
    const flat: number[] = [];
    for (const [c, n] of [...counts.get(s)!].sort((a, b) => a[0] - b[0])) {
      flat.push(c, n);
      totals[c]! += n;
    }
    stems[s] = flat;
  }
  return { classes, docs, totals, stems };
}

const sizes = new WeakMap<WordModel, number>();
function vocabularySize(model: WordModel): number {
  let size = sizes.get(model);
  if (size === undefined) sizes.set(model, (size = Object.keys(model.stems).length));
  return size;
}

/** The posterior of every class for a text: entry id (or NONE) → probability. */
export function wordPosteriors(model: WordModel, text: string, stems: Set<string> = messageStems(text)): Map<string, number> {
  const k = model.classes.length;
  const vocabulary = vocabularySize(model);
  const n = model.docs.reduce((a, b) => a + b, 0);
  const known = [...stems].filter((s) => Object.hasOwn(model.stems, s));
  // Every known stem first counts as unseen in every class; the classes that saw it then gain.
  const log = model.classes.map((_, c) => Math.log((model.docs[c]! + 1) / (n + k)) + known.length * (Math.log(ALPHA) - Math.log(model.totals[c]! + ALPHA * vocabulary)));
  for (const s of known) {
    const flat = model.stems[s]!;
    for (let i = 0; i < flat.length; i += 2) log[flat[i]!]! += Math.log(flat[i + 1]! + ALPHA) - Math.log(ALPHA);
  }
  const top = Math.max(...log);
  const exp = log.map((l) => Math.exp(l - top));
  const sum = exp.reduce((a, b) => a + b, 0);
  return new Map(model.classes.map((c, i) => [c, exp[i]! / sum]));
}
