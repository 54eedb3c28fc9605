/**
 * `npm run train`: trains the ranker (model/ranker.json) from the labelled corpus, deterministically.
 *
 * Two stages, both logistic regression (standardised features, L2, full-batch gradient descent
 * from zero: the same data gives the same weights):
 * 0. a word model (naive Bayes, src/core/recognise/words.ts) learns the words people use for each
 *    entry; its posteriors are features of the ranker;
 * 1. the ranker scores every candidate of a message (src/core/recognise/ranker.ts features);
 * 2. the confidence model says how likely the best candidate is right, from its score, its lead
 *    over the others, how crowded the top is, and the candidate's features. It learns from
 *    out-of-fold scores (each training writer scored by a ranker that never saw it), so that it
 *    learns how sure to be on writers the ranker hasn't seen.
 * Thresholds are chosen on the validation writer for target rates, never by hand. The test writer
 * is never used; its figures are printed at the end.
 *
 * `npm run train -- --check` reports and writes nothing.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { decide, ruleOf } from '../src/core/dialogue/decision.ts';
import { loadKnowledgeBase } from '../src/core/knowledge/load.ts';
import { buildBm25 } from '../src/core/recognise/bm25.ts';
import { buildIndex } from '../src/core/recognise/index.ts';
import { candidateFeatures, CONFIDENCE_FEATURES, confidenceFeatures, FEATURES, wordFeatures, type Model } from '../src/core/recognise/ranker.ts';
import { trainWords, wordPosteriors, type WordModel } from '../src/core/recognise/words.ts';
import { recognise } from '../src/core/recognise/recognise.ts';
import { cleanInput } from '../src/core/text/clean.ts';
import { MODEL_FILE, negativeFold, positiveWriters as positivesOf, readWriters, ROOT, TEST_WRITER, trainingInputsHash, VALIDATION_WRITER, type CorpusItem } from './training-data.ts';

/** Confidently wrong answers allowed on validation, as a share of all messages. */
const TARGET_WRONG = 0.015;
/** Negatives that may still get "did you mean", as a share of negatives. */
const TARGET_NEGATIVE_OFFERS = 0.05;
const L2 = 0.01;
const STEPS = 1500;
const RATE = 0.5;

interface Row {
  id: string;
  features: number[];
  label: 0 | 1;
}

interface Example {
  writer: string;
  /** Position within the writer's file, for folds of the negatives and the tuning set. */
  index: number;
  item: CorpusItem;
  /** The cleaned text, as the engine reads it. */
  text: string;
  rows: Row[];
}

const knowledge = loadKnowledgeBase(`${ROOT}knowledge`);
const index = buildIndex(knowledge.entries);
const bm25 = buildBm25(knowledge.entries);
const writers = readWriters();

const examples: Example[] = [];
for (const writer of writers) {
  writer.items.forEach((item, i) => {
    const cleaned = cleanInput(item.text);
    const rec = recognise(index, cleaned.text);
    const rows = candidateFeatures(index, bm25, cleaned.text, rec, ruleOf(decide(rec.candidates, rec.product))).map((c) => ({ id: c.entry.id, features: c.features, label: (item.expect.includes(c.entry.id) ? 1 : 0) as 0 | 1 }));
    examples.push({ writer: writer.name, index: i, item, text: cleaned.text, rows });
  });
}

// --- logistic regression ---------------------------------------------------------------------
interface Linear {
  mean: number[];
  scale: number[];
  weights: number[];
  bias: number;
}

function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}

function fit(rows: { features: number[]; label: 0 | 1 }[], width: number): Linear {
  const mean = Array.from({ length: width }, (_, j) => rows.reduce((s, r) => s + r.features[j]!, 0) / Math.max(1, rows.length));
  const scale = Array.from({ length: width }, (_, j) => Math.sqrt(rows.reduce((s, r) => s + (r.features[j]! - mean[j]!) ** 2, 0) / Math.max(1, rows.length)) || 1);
  const xs = rows.map((r) => r.features.map((x, j) => (x - mean[j]!) / scale[j]!));
  const weights = new Array<number>(width).fill(0);
  let bias = 0;
  for (let step = 0; step < STEPS; step += 1) {
    const grad = new Array<number>(width).fill(0);
    let gb = 0;
    xs.forEach((x, i) => {
      let z = bias;
      for (let j = 0; j < width; j += 1) z += weights[j]! * x[j]!;
      const err = sigmoid(z) - rows[i]!.label;
      for (let j = 0; j < width; j += 1) grad[j]! += err * x[j]!;
      gb += err;
    });
    for (let j = 0; j < width; j += 1) weights[j]! -= RATE * (grad[j]! / xs.length + L2 * weights[j]!);
    bias -= RATE * (gb / xs.length);
  }
  return { mean, scale, weights, bias };
}

function linear(model: Linear, features: number[]): number {
  let z = model.bias;
  features.forEach((x, j) => {
    z += model.weights[j]! * ((x - model.mean[j]!) / model.scale[j]!);
  });
  return z;
}

/** Each message's best candidate by the ranker, with its confidence features, and whether it is right. */
function tops(ranker: Linear, set: Example[]): { features: number[]; right: boolean; second?: { features: number[]; right: boolean }; example: Example }[] {
  return set.map((example) => {
    const scores = example.rows.map((r) => linear(ranker, r.features));
    const order = scores.map((z, i) => ({ z, i })).sort((a, b) => b.z - a.z || example.rows[a.i]!.id.localeCompare(example.rows[b.i]!.id));
    const [best, next] = order;
    if (!best) return { features: [], right: false, example };
    const at = (i: number) => ({ features: confidenceFeatures(scores, i, example.rows[i]!.features), right: example.rows[i]!.label === 1 });
    return { ...at(best.i), ...(next ? { second: at(next.i) } : {}), example };
  });
}

interface Thresholds {
  answer: number;
  also: number;
  suggest: number;
}

/** A second candidate is named under an answer when seconds that sure are right at least this often. */
const TARGET_SECOND_RIGHT = 0.2;

/**
 * The lowest answer threshold that keeps confidently wrong answers under target; the offer
 * threshold for negatives (the validation writer's and `moreNegatives`); and the lowest "could also be" threshold whose seconds are right often enough.
 */
function chooseThresholds(points: { p: number; right: boolean; negative: boolean; second?: { p: number; right: boolean } }[], moreNegatives: { p: number }[] = []): Thresholds {
  const candidates = [...new Set(points.map((p) => Math.round(p.p * 1000) / 1000))].sort((a, b) => a - b);
  const wrongAt = (t: number) => points.filter((p) => p.p >= t && !p.right).length / Math.max(1, points.length);
  const answer = candidates.find((t) => wrongAt(t) <= TARGET_WRONG) ?? 0.99;
  const negatives = [...points.filter((p) => p.negative), ...moreNegatives];
  const offeredAt = (t: number) => negatives.filter((p) => p.p >= t).length / Math.max(1, negatives.length);
  const suggest = Math.min(answer, candidates.find((t) => offeredAt(t) <= TARGET_NEGATIVE_OFFERS) ?? answer);
  const seconds = points.flatMap((p) => (p.second ? [p.second] : []));
  const secondLevels = [...new Set(seconds.map((x) => Math.round(x.p * 1000) / 1000))].sort((a, b) => a - b);
  const rightFrom = (t: number) => {
    const named = seconds.filter((x) => x.p >= t);
    return named.length >= 5 ? named.filter((x) => x.right).length / named.length : 0;
  };
  const also = secondLevels.find((t) => rightFrom(t) >= TARGET_SECOND_RIGHT) ?? answer;
  return { answer, also, suggest };
}

interface Trained {
  ranker: Linear;
  confidence: Linear;
  thresholds: Thresholds;
}

const probabilityOf = (t: Trained, features: number[]) => (features.length ? sigmoid(linear(t.confidence, features)) : 0);

/** How a model does on messages: top-1 (its entry answered, or nothing for a negative), confidently wrong, no-match. */
function evaluate(trained: Trained, set: Example[]) {
  let right = 0;
  let wrong = 0;
  let negatives = 0;
  let rejected = 0;
  for (const t of tops(trained.ranker, set)) {
    const p = probabilityOf(trained, t.features);
    const negative = t.example.item.expect.length === 0;
    if (negative) {
      negatives += 1;
      if (p < trained.thresholds.suggest) {
        rejected += 1;
        right += 1;
      }
      if (p >= trained.thresholds.answer) wrong += 1;
    } else if (p >= trained.thresholds.answer) {
      if (t.right) right += 1;
      else wrong += 1;
    }
  }
  return { n: set.length, top1: right / Math.max(1, set.length), wrong: wrong / Math.max(1, set.length), noMatch: negatives ? rejected / negatives : Number.NaN, negatives };
}

// --- who is used for what --------------------------------------------------------------------
const positives = positivesOf(writers);
const FOLDS = positives.length;
const testFold = positives.indexOf(TEST_WRITER);
const validationFold = positives.indexOf(VALIDATION_WRITER);
/** The fold of a message: its writer's position, or for negatives and the tuning set its own. */
const foldOf = (e: Example) => (positives.includes(e.writer) ? positives.indexOf(e.writer) : e.writer === 'negatives' ? negativeFold(e.index) : negativeFold(e.index, FOLDS));
const isTest = (e: Example) => foldOf(e) === testFold && (e.writer === 'negatives' || e.writer === TEST_WRITER);
const isValidation = (e: Example) => foldOf(e) === validationFold && (e.writer === 'negatives' || e.writer === VALIDATION_WRITER);
const learning = examples.filter((e) => !isTest(e) && !isValidation(e));

// The word model's features: a training message's come from a word model that never saw its fold
// (as they will for a message the shipped model never saw); the others' from the shipped one.
const wordsOf = (set: Example[]): WordModel => trainWords(set.map((e) => ({ text: e.text, labels: e.item.expect })));
const withWords = (e: Example, model: WordModel): Example => {
  const posteriors = wordPosteriors(model, e.text);
  return { ...e, rows: e.rows.map((r) => ({ ...r, features: [...r.features, ...wordFeatures(posteriors, r.id)] })) };
};
const words = wordsOf(learning);
const trainingFolds = [...new Set(learning.map(foldOf))].sort((a, b) => a - b);
const foldWords = new Map(trainingFolds.map((k) => [k, wordsOf(learning.filter((e) => foldOf(e) !== k))]));
const training = learning.map((e) => withWords(e, foldWords.get(foldOf(e))!));
const test = examples.filter(isTest).map((e) => withWords(e, words));
const validation = examples.filter(isValidation).map((e) => withWords(e, words));

// Out-of-fold ranker scores of the training messages, for the confidence model.
const outOfFold: { features: number[]; label: 0 | 1 }[] = [];
/** The training negatives' top candidates, each scored by a ranker that never saw its fold. */
const outOfFoldNegatives: number[][] = [];
for (const k of trainingFolds) {
  const ranker = fit(training.filter((e) => foldOf(e) !== k).flatMap((e) => e.rows), FEATURES.length);
  for (const t of tops(ranker, training.filter((e) => foldOf(e) === k))) {
    if (t.features.length) outOfFold.push({ features: t.features, label: t.right ? 1 : 0 });
    if (t.example.item.expect.length === 0) outOfFoldNegatives.push(t.features);
  }
}
const ranker = fit(training.flatMap((e) => e.rows), FEATURES.length);
const confidence = fit(outOfFold, CONFIDENCE_FEATURES.length);
const points = tops(ranker, validation).map((t) => ({
  p: t.features.length ? sigmoid(linear(confidence, t.features)) : 0,
  right: t.right,
  negative: t.example.item.expect.length === 0,
  ...(t.second ? { second: { p: sigmoid(linear(confidence, t.second.features)), right: t.second.right } } : {}),
}));
// The offer threshold is chosen on the validation writer's negatives and the training negatives
// out of fold: sixty negatives alone would let one message move it.
const negativePoints = outOfFoldNegatives.map((features) => ({ p: features.length ? sigmoid(linear(confidence, features)) : 0 }));
const trained: Trained = { ranker, confidence, thresholds: chooseThresholds(points, negativePoints) };

const pct = (x: number) => (Number.isNaN(x) ? 'n/a' : `${(100 * x).toFixed(1)}%`);
const v = evaluate(trained, validation);
const t = evaluate(trained, test);
console.log(`trained on ${training.length} messages (${[...new Set(training.map((e) => e.writer))].join(', ')}), confidence from ${outOfFold.length} out-of-fold answers`);
console.log(`validation, ${VALIDATION_WRITER} (+ ${v.negatives} negatives), thresholds chosen here: top-1 ${pct(v.top1)}, confidently wrong ${pct(v.wrong)}, no-match ${pct(v.noMatch)}`);
console.log(`held out, ${TEST_WRITER} (+ ${t.negatives} negatives), never used: top-1 ${pct(t.top1)}, confidently wrong ${pct(t.wrong)}, no-match ${pct(t.noMatch)}`);
console.log(`thresholds: ${JSON.stringify(trained.thresholds)}`);
if (process.argv.includes('--diagnose')) {
  // On the validation writer: the test writer's messages stay unread while features are worked on.
  const positivesOfTest = validation.filter((e) => e.item.expect.length > 0);
  const share = (ok: (e: Example) => boolean) => pct(positivesOfTest.filter(ok).length / positivesOfTest.length);
  const bestBy = (e: Example, score: (r: Row) => number) => [...e.rows].sort((a, b) => score(b) - score(a))[0];
  console.log(`ranking on ${VALIDATION_WRITER}: ranker ${share((e) => bestBy(e, (r) => linear(ranker, r.features))?.label === 1)}, engine score ${share((e) => bestBy(e, (r) => r.features[0]!)?.label === 1)}, BM25F ${share((e) => bestBy(e, (r) => r.features[8]!)?.label === 1)}; right entry among candidates ${share((e) => e.rows.some((r) => r.label === 1))}`);
}

if (!process.argv.includes('--check')) {
  const round = (x: number) => Math.round(x * 1e6) / 1e6;
  const pack = (m: Linear) => ({ mean: m.mean.map(round), scale: m.scale.map(round), weights: m.weights.map(round), bias: round(m.bias) });
  const model: Model = {
    version: 3,
    features: [...FEATURES],
    ranker: pack(ranker),
    words,
    confidenceFeatures: [...CONFIDENCE_FEATURES],
    confidence: pack(confidence),
    thresholds: { answer: round(trained.thresholds.answer), also: round(trained.thresholds.also), suggest: round(trained.thresholds.suggest) },
    inputs: trainingInputsHash(),
    trainedOn: [...new Set(training.map((e) => e.writer))],
    validatedOn: VALIDATION_WRITER,
    heldOut: TEST_WRITER,
  };
  mkdirSync(dirname(MODEL_FILE), { recursive: true });
  // The word model's stems one to a line, so that a retrained model diffs by stem.
  const stemLines = Object.entries(words.stems).map(([stem, counts]) => `      ${JSON.stringify(stem)}: ${JSON.stringify(counts)}`);
  const wordsText = ['{', ...(['classes', 'docs', 'totals'] as const).map((k) => `    ${JSON.stringify(k)}: ${JSON.stringify(words[k])},`), '    "stems": {', stemLines.join(',\n'), '    }', '  }'].join('\n');
  writeFileSync(MODEL_FILE, `${JSON.stringify({ ...model, words: '\0words' }, null, 2).replace('"\\u0000words"', wordsText)}\n`);
  console.log(`wrote ${MODEL_FILE}`);
}
if (process.argv.includes('--misses')) {
  // The validation writer's confident mistakes and unsure right answers, for working on features.
  for (const [i, t] of tops(ranker, validation).entries()) {
    const p = points[i]!.p;
    if ((!t.right && p >= 0.6) || (t.right && p < trained.thresholds.answer && process.argv.includes('--unsure'))) {
      const top = [...t.example.rows].sort((a, b) => linear(ranker, b.features) - linear(ranker, a.features))[0];
      console.log(`${t.right ? 'UNSURE' : 'WRONG '} p=${p.toFixed(2)} want ${t.example.item.expect.join(',') || '-'} got ${top?.id} | ${t.example.item.text.replace(/\s+/gu, ' ').slice(0, 160)}`);
    }
  }
}
if (process.argv.includes('--curve')) {
  const curve = (name: string, pts: { p: number; right: boolean; negative: boolean }[]) => {
    for (const th of [0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 0.94]) {
      const answered = pts.filter((p) => p.p >= th);
      const right = answered.filter((p) => p.right).length;
      console.log(`${name} at ${th}: answered-right ${pct(right / pts.length)}, wrong ${pct((answered.length - right) / pts.length)}`);
    }
  };
  curve('validation', points);
  curve('out-of-fold', outOfFold.map((o) => ({ p: sigmoid(linear(confidence, o.features)), right: o.label === 1, negative: false })));
}
