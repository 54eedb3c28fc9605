/**
 * `npm run train`: trains the ranker (model/ranker.json) from the labelled corpus, deterministically.
 *
 * Two stages, after a word model; each is deterministic (the same data gives the same model):
 * 0. a word model (naive Bayes, src/core/recognise/words.ts) learns the words people use for each
 *    entry; its posteriors are features of the ranker;
 * 1. the ranker, logistic regression (standardised features, L2, full-batch gradient descent
 *    from zero), scores every candidate of a message (src/core/recognise/ranker.ts features);
 * 2. the confidence model, gradient-boosted trees (scripts/boost.ts), says how likely the best
 *    candidate is right, from its score, its lead over the others, how crowded the top is, and
 *    the candidate's features. It learns from out-of-fold scores (each training writer scored by
 *    a ranker that never saw it), so that it learns how sure to be on writers the ranker hasn't
 *    seen.
 * Thresholds are chosen by cross-validation by writer for target rates, never by hand. The test
 * writers are never used; their figures are printed at the end.
 *
 * `npm run train -- --check` reports and writes nothing.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { decide, decideRanked, ruleOf, type Decision } from '../src/core/dialogue/decision.ts';
import type { Product } from '../src/core/knowledge/schema.ts';
import { loadKnowledgeBase } from '../src/core/knowledge/load.ts';
import { buildBm25 } from '../src/core/recognise/bm25.ts';
import { buildIndex } from '../src/core/recognise/index.ts';
import { candidateFeatures, CONFIDENCE_FEATURES, confidenceFeatures, FEATURES, wordFeatures, type Model } from '../src/core/recognise/ranker.ts';
import { forestProbability, type Forest } from '../src/core/recognise/trees.ts';
import { trainWords, wordPosteriors, type WordModel } from '../src/core/recognise/words.ts';
import { namedProduct } from '../src/core/recognise/product.ts';
import { recognise, type Candidate } from '../src/core/recognise/recognise.ts';
import { cleanInput } from '../src/core/text/clean.ts';
import { fitForest } from './boost.ts';
import { MODEL_FILE, negativeFold, positiveWriters as positivesOf, readWriters, rightAnswer, ROOT, TEST_WRITERS, trainingInputsHash, type CorpusItem } from './training-data.ts';

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
  /** What the engine's rules decide (the ranker's decision starts from it), and the product the text names. */
  rules: { answer: RuleCandidate[]; suggest: RuleCandidate[] };
  named?: Product;
}

/** A rules' candidate, as the decision reads it. */
interface RuleCandidate {
  id: string;
  via: Candidate['via'];
  score: number;
}

const knowledge = loadKnowledgeBase(`${ROOT}knowledge`);
const index = buildIndex(knowledge.entries);
const bm25 = buildBm25(knowledge.entries);
const writers = readWriters();

/** The candidates' features of every message. `--cache <file>` keeps them between runs on the same inputs. */
function extract(): Example[] {
  const out: Example[] = [];
  for (const writer of writers) {
    writer.items.forEach((item, i) => {
      const cleaned = cleanInput(item.text);
      const rec = recognise(index, cleaned.text);
      const rules = decide(rec.candidates, rec.product, rec.tokens);
      const rows = candidateFeatures(index, bm25, cleaned.text, rec, ruleOf(rules)).map((c) => ({ id: c.entry.id, features: c.features, label: (item.expect.includes(c.entry.id) ? 1 : 0) as 0 | 1 }));
      const slim = (c: Candidate): RuleCandidate => ({ id: c.entry.id, via: c.via, score: c.score });
      const named = namedProduct(cleaned.text);
      out.push({ writer: writer.name, index: i, item, text: cleaned.text, rows, rules: { answer: rules.answer.map(slim), suggest: rules.suggest.map(slim) }, ...(named ? { named } : {}) });
    });
  }
  return out;
}
const cacheAt = process.argv.indexOf('--cache');
const cacheFile = cacheAt >= 0 ? process.argv[cacheAt + 1] : undefined;
const inputs = trainingInputsHash();
/** The cached examples' shape changes with this script: their key names it. */
const featureInputs = `${trainingInputsHash({ featuresOnly: true })}:rules`;
const cached = cacheFile && existsSync(cacheFile) ? (JSON.parse(readFileSync(cacheFile, 'utf8')) as { inputs: string; examples: Example[] }) : undefined;
const examples: Example[] = cached?.inputs === featureInputs ? cached.examples : extract();
if (cacheFile && cached?.inputs !== featureInputs) writeFileSync(cacheFile, JSON.stringify({ inputs: featureInputs, examples }));

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
  const n = rows.length;
  const mean = Array.from({ length: width }, (_, j) => rows.reduce((s, r) => s + r.features[j]!, 0) / Math.max(1, n));
  const scale = Array.from({ length: width }, (_, j) => Math.sqrt(rows.reduce((s, r) => s + (r.features[j]! - mean[j]!) ** 2, 0) / Math.max(1, n)) || 1);
  // One flat, standardised matrix: the same sums in the same order as row by row, only faster.
  const xs = new Float64Array(n * width);
  const ys = new Float64Array(n);
  rows.forEach((r, i) => {
    for (let j = 0; j < width; j += 1) xs[i * width + j] = (r.features[j]! - mean[j]!) / scale[j]!;
    ys[i] = r.label;
  });
  const weights = new Float64Array(width);
  const grad = new Float64Array(width);
  let bias = 0;
  for (let step = 0; step < STEPS; step += 1) {
    grad.fill(0);
    let gb = 0;
    for (let i = 0; i < n; i += 1) {
      const row = i * width;
      let z = bias;
      for (let j = 0; j < width; j += 1) z += weights[j]! * xs[row + j]!;
      const err = sigmoid(z) - ys[i]!;
      for (let j = 0; j < width; j += 1) grad[j]! += err * xs[row + j]!;
      gb += err;
    }
    for (let j = 0; j < width; j += 1) weights[j]! -= RATE * (grad[j]! / Math.max(1, n) + L2 * weights[j]!);
    bias -= RATE * (gb / Math.max(1, n));
  }
  return { mean, scale, weights: [...weights], bias };
}

function linear(model: Linear, features: number[]): number {
  let z = model.bias;
  features.forEach((x, j) => {
    z += model.weights[j]! * ((x - model.mean[j]!) / model.scale[j]!);
  });
  return z;
}

/** Each message's best candidate by the ranker, with its confidence features, and whether it is right. */
function tops(ranker: Linear, set: Example[]): { features: number[]; right: boolean; example: Example }[] {
  return set.map((example) => {
    const scores = example.rows.map((r) => linear(ranker, r.features));
    const order = scores.map((z, i) => ({ z, i })).sort((a, b) => b.z - a.z || example.rows[a.i]!.id.localeCompare(example.rows[b.i]!.id));
    const best = order[0];
    if (!best) return { features: [], right: false, example };
    return { features: confidenceFeatures(scores, best.i, example.rows[best.i]!.features), right: example.rows[best.i]!.label === 1, example };
  });
}

interface Thresholds {
  answer: number;
  also: number;
  suggest: number;
}

/** A message's candidates by the confidence model, the likeliest first: how sure it is of the best, and whether that is right. */
interface Point {
  p: number;
  right: boolean;
  negative: boolean;
  example: Example;
  ranked: { id: string; p: number }[];
  second?: { p: number; right: boolean };
}

/** Every candidate's probability by a ranker and a confidence model, as the engine ranks them. */
function pointsOf(ranker: Linear, confidence: Forest, set: Example[]): Point[] {
  return set.map((example) => {
    const scores = example.rows.map((r) => linear(ranker, r.features));
    const ranked = example.rows
      .map((r, i) => ({ id: r.id, p: forestProbability(confidence, confidenceFeatures(scores, i, r.features)), right: r.label === 1 }))
      .sort((a, b) => b.p - a.p || a.id.localeCompare(b.id));
    const [best, next] = ranked;
    return {
      p: best?.p ?? 0,
      right: best?.right ?? false,
      negative: example.item.expect.length === 0,
      example,
      ranked: ranked.map(({ id, p }) => ({ id, p })),
      ...(next ? { second: { p: next.p, right: next.right } } : {}),
    };
  });
}

const entries = new Map(knowledge.entries.map((e) => [e.id, e]));

/** What the engine decides for a message at these thresholds: the decision itself (src/core/dialogue/decision.ts), rules and all. */
function decided(point: Point, thresholds: Thresholds): Decision {
  const candidate = (c: RuleCandidate): Candidate => ({ entry: entries.get(c.id)!, score: c.score, via: c.via });
  const { rules, named } = point.example;
  const ranked = point.ranked.map((r) => ({ entry: entries.get(r.id)!, p: r.p, features: [] }));
  return decideRanked({ answer: rules.answer.map(candidate), suggest: rules.suggest.map(candidate) }, ranked, thresholds, named);
}

interface Outcome {
  /** Right as the bench counts it: its entry answered first (all of them for several errors, offered for an ambiguous one), nothing at all for a negative. */
  right: boolean;
  /** Answered with an entry the message is not about. */
  wrong: boolean;
  /** Neither answered nor offered anything. */
  silent: boolean;
}

function outcome(point: Point, thresholds: Thresholds): Outcome {
  const decision = decided(point, thresholds);
  const { item } = point.example;
  const answered = [...decision.answer].sort((a, b) => b.score - a.score).map((c) => c.entry.id);
  const offered = decision.suggest.map((c) => c.entry.id);
  return { right: rightAnswer(item, answered, offered), wrong: answered.some((id) => !item.expect.includes(id)), silent: answered.length === 0 && offered.length === 0 };
}

/** A second candidate is named under an answer when seconds that sure are right at least this often. */
const TARGET_SECOND_RIGHT = 0.2;
/** Thresholds tried: this many, evenly spaced among the confidences seen. */
const LEVELS = 400;

/**
 * The lowest answer threshold at which the engine's whole decision (its rules for codes and named
 * products included) keeps confidently wrong answers under target; the offer threshold that keeps
 * most negatives silent; and the lowest "could also be" threshold whose seconds are right often
 * enough.
 */
function chooseThresholds(points: Point[]): Thresholds {
  const seen = [...new Set(points.map((p) => Math.round(p.p * 1000) / 1000))].sort((a, b) => a - b);
  const levels = seen.filter((_, i) => i % Math.max(1, Math.floor(seen.length / LEVELS)) === 0);
  const seconds = points.flatMap((p) => (p.second ? [p.second] : []));
  const secondLevels = [...new Set(seconds.map((x) => Math.round(x.p * 1000) / 1000))].sort((a, b) => a - b);
  const rightFrom = (t: number) => {
    const named = seconds.filter((x) => x.p >= t);
    return named.length >= 5 ? named.filter((x) => x.right).length / named.length : 0;
  };
  const also = secondLevels.find((t) => rightFrom(t) >= TARGET_SECOND_RIGHT) ?? 1;
  const wrongAt = (t: number) => points.filter((p) => outcome(p, { answer: t, also, suggest: t }).wrong).length / Math.max(1, points.length);
  const answer = levels.find((t) => wrongAt(t) <= TARGET_WRONG) ?? 0.99;
  const negatives = points.filter((p) => p.negative);
  const offeredAt = (t: number) => negatives.filter((p) => !outcome(p, { answer, also, suggest: t }).silent).length / Math.max(1, negatives.length);
  const suggest = levels.filter((t) => t < answer).find((t) => offeredAt(t) <= TARGET_NEGATIVE_OFFERS) ?? answer;
  return { answer, also: Math.min(also, answer), suggest };
}

interface Trained {
  ranker: Linear;
  confidence: Forest;
  thresholds: Thresholds;
}

interface Score {
  n: number;
  top1: number;
  wrong: number;
  noMatch: number;
  negatives: number;
}

/** How the engine does on messages at these thresholds: top-1, confidently wrong, no-match. */
function score(thresholds: Thresholds, points: Point[]): Score {
  let right = 0;
  let wrong = 0;
  let negatives = 0;
  let rejected = 0;
  for (const p of points) {
    const o = outcome(p, thresholds);
    if (o.right) right += 1;
    if (o.wrong) wrong += 1;
    if (p.negative) {
      negatives += 1;
      if (o.silent) rejected += 1;
    }
  }
  return { n: points.length, top1: right / Math.max(1, points.length), wrong: wrong / Math.max(1, points.length), noMatch: negatives ? rejected / negatives : Number.NaN, negatives };
}

/** How a trained model does on messages it never saw. */
function evaluate(trained: Trained, set: Example[]): Score {
  return score(trained.thresholds, pointsOf(trained.ranker, trained.confidence, set));
}

// --- who is used for what --------------------------------------------------------------------
const positives = positivesOf(writers);
const FOLDS = positives.length;
const testFolds = new Set(TEST_WRITERS.map((w) => positives.indexOf(w)).filter((k) => k >= 0));
/** The fold of a message: its writer's position, or for negatives and the tuning set its own. */
const foldOf = (e: Example) => (positives.includes(e.writer) ? positives.indexOf(e.writer) : e.writer === 'negatives' ? negativeFold(e.index) : negativeFold(e.index, FOLDS));
/** The test writers' messages and the shared negatives of their folds: never used. */
const isTest = (e: Example) => (TEST_WRITERS as readonly string[]).includes(e.writer) || (e.writer === 'negatives' && testFolds.has(foldOf(e)));
const learning = examples.filter((e) => !isTest(e));

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

// Cross-validation by writer. Each fold's messages are scored by a ranker that never saw the fold
// (out of fold); the confidence model learns from those scores, so it learns how sure to be about
// a writer the ranker hasn't seen. The thresholds are chosen on confidences that are out of fold
// twice over: each fold's from a confidence model trained on the other folds' out-of-fold scores.
interface Top {
  fold: number;
  example: Example;
  features: number[];
  right: boolean;
}
const outOfFold: Top[] = [];
const foldRankers = new Map<number, Linear>();
for (const k of trainingFolds) {
  const ranker = fit(training.filter((e) => foldOf(e) !== k).flatMap((e) => e.rows), FEATURES.length);
  foldRankers.set(k, ranker);
  for (const t of tops(ranker, training.filter((e) => foldOf(e) === k))) outOfFold.push({ fold: k, ...t });
}
const confidenceRows = (set: Top[]) => set.filter((t) => t.features.length).map((t) => ({ features: t.features, label: (t.right ? 1 : 0) as 0 | 1 }));
const points: Point[] = [];
for (const k of trainingFolds) {
  const confidence = fitForest(confidenceRows(outOfFold.filter((t) => t.fold !== k)));
  points.push(...pointsOf(foldRankers.get(k)!, confidence, training.filter((e) => foldOf(e) === k)));
}
const ranker = fit(training.flatMap((e) => e.rows), FEATURES.length);
const confidence = fitForest(confidenceRows(outOfFold));
const trained: Trained = { ranker, confidence, thresholds: chooseThresholds(points) };

const pct = (x: number) => (Number.isNaN(x) ? 'n/a' : `${(100 * x).toFixed(1)}%`);
const line = (r: Score) => `top-1 ${pct(r.top1)}, confidently wrong ${pct(r.wrong)}, no-match ${pct(r.noMatch)} (${r.n} messages, ${r.negatives} negatives)`;
const trainedOn = [...new Set(training.map((e) => e.writer))];
console.log(`trained on ${training.length} messages (${trainedOn.join(', ')}), confidence from ${outOfFold.length} out-of-fold answers`);
console.log(`cross-validated by writer (thresholds chosen here): ${line(score(trained.thresholds, points))}`);
for (const w of trainedOn.filter((n) => positives.includes(n))) console.log(`  ${w}, scored by models that never saw it: ${line(score(trained.thresholds, points.filter((p) => p.example.writer === w)))}`);
for (const w of TEST_WRITERS) console.log(`held out, ${w}${w === 'w6' ? ' with its share of the negatives' : ''}, never used: ${line(evaluate(trained, test.filter((e) => e.writer === w || (e.writer === 'negatives' && positives[foldOf(e)] === w))))}`);
console.log(`thresholds: ${JSON.stringify(trained.thresholds)}`);

if (!process.argv.includes('--check')) {
  const round = (x: number) => Math.round(x * 1e6) / 1e6;
  const pack = (m: Linear) => ({ mean: m.mean.map(round), scale: m.scale.map(round), weights: m.weights.map(round), bias: round(m.bias) });
  const model: Model = {
    version: 4,
    features: [...FEATURES],
    ranker: pack(ranker),
    words,
    confidenceFeatures: [...CONFIDENCE_FEATURES],
    confidence,
    thresholds: { answer: round(trained.thresholds.answer), also: round(trained.thresholds.also), suggest: round(trained.thresholds.suggest) },
    inputs,
    trainedOn,
    validatedOn: 'cross-validation by writer',
    heldOut: TEST_WRITERS.join(', '),
  };
  mkdirSync(dirname(MODEL_FILE), { recursive: true });
  // The word model's stems one to a line, so that a retrained model diffs by stem.
  const stemLines = Object.entries(words.stems).map(([stem, counts]) => `      ${JSON.stringify(stem)}: ${JSON.stringify(counts)}`);
  const wordsText = ['{', ...(['classes', 'docs', 'totals'] as const).map((k) => `    ${JSON.stringify(k)}: ${JSON.stringify(words[k])},`), '    "stems": {', stemLines.join(',\n'), '    }', '  }'].join('\n');
  writeFileSync(MODEL_FILE, `${JSON.stringify({ ...model, words: '\0words' }, null, 2).replace('"\\u0000words"', wordsText)}\n`);
  console.log(`wrote ${MODEL_FILE}`);
}
if (process.argv.includes('--misses')) {
  // The engine's mistakes out of fold at the chosen thresholds (answered wrong, a negative offered
  // candidates) and, with --unsure, right entries left unanswered; the test writers stay unread.
  for (const p of points) {
    const o = outcome(p, trained.thresholds);
    const kind = o.wrong ? 'WRONG ' : p.negative && !o.silent ? 'OFFER ' : !o.right && p.right && process.argv.includes('--unsure') ? 'UNSURE' : undefined;
    // Who answered: several errors of one paste, a rule (it answers even when the ranker may not), or the ranker.
    const by = p.example.rules.answer.length > 1 ? 'multi' : decided(p, { ...trained.thresholds, answer: 2 }).answer.length ? 'rule' : 'ranker';
    if (kind) console.log(`${kind} ${by} ${p.example.writer} p=${p.p.toFixed(2)} want ${p.example.item.expect.join(',') || '-'} | ${p.example.item.text.replace(/\s+/gu, ' ').slice(0, 160)}`);
  }
}
if (process.argv.includes('--curve')) {
  // The engine out of fold at other answer thresholds: what a stricter or looser target would give.
  const byWriter = [...new Set(points.map((p) => p.example.writer))].filter((w) => positives.includes(w));
  for (const answer of [0.5, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9]) {
    const at = { ...trained.thresholds, answer, suggest: Math.min(answer, trained.thresholds.suggest) };
    const wrongs = byWriter.map((w) => score(at, points.filter((p) => p.example.writer === w)).wrong).sort((a, b) => a - b);
    console.log(`out of fold, answering from ${answer}: ${line(score(at, points))}; writers' confidently wrong: median ${pct(wrongs[Math.floor(wrongs.length / 2)]!)}, 80th percentile ${pct(wrongs[Math.floor(0.8 * (wrongs.length - 1))]!)}, worst ${pct(wrongs[wrongs.length - 1]!)}`);
  }
}
