import type { Linear, Model } from './model-schema.ts';
import type { Entry } from '../knowledge/schema.ts';
import { messageStems, searchBm25, type Bm25Hit, type Bm25Index } from './bm25.ts';
import type { SearchIndex } from './index.ts';
import { FOREIGN, type Candidate, type Recognition } from './recognise.ts';
import { forestProbability } from './trees.ts';
import { NONE, wordPosteriors } from './words.ts';

/**
 * The learned ranker: for each candidate entry of a message, features from both scorers (the
 * engine's own and BM25F), and a logistic model that turns them into the probability that the
 * entry is right. The weights are data (`model/ranker.json`), trained by `npm run train`.
 */
export const BASE_FEATURES = [
  'rec_score',
  'rec_inverse_rank',
  'rec_margin',
  'via_code',
  'via_code_typo',
  'via_message',
  'via_title',
  'via_question',
  'bm25_share',
  'bm25_inverse_rank',
  'bm25_margin',
  'agree_top',
  'product_match',
  'product_mismatch',
  'foreign_vendor',
  'unknown_code',
  'message_length',
  'guide',
  'twin',
  'matched_stems',
  'rule_answer',
  'rule_suggest',
] as const;

/** From the word model: the candidate's posterior, whether it is the word model's first, and how
 * likely the message is about none of ours. */
export const WORD_FEATURES = ['words_p', 'words_top', 'words_none'] as const;

export const FEATURES = [...BASE_FEATURES, ...WORD_FEATURES] as const;

/** What the hand-set rules (thresholds on the engine's own scores) would do: evidence for the ranker. */
export interface RuleDecision {
  answer: ReadonlySet<string>;
  suggest: ReadonlySet<string>;
}

/** What the confidence model reads about a message's best candidate: its score and standing, then its features. */
export const CONFIDENCE_FEATURES = ['score', 'lead', 'crowd', ...FEATURES] as const;

export type { Model } from './model-schema.ts';

export interface Ranked {
  entry: Entry;
  /** 0..1: how likely the entry is the right answer. */
  p: number;
  /** The engine's own evidence for it, when it has some. */
  candidate?: Candidate;
  features: number[];
}

/** Candidates from both scorers: the engine's top few and BM25F's top few. */
const FROM_EACH = 5;
const CODE_SHAPE = /\b(?:\d{5,6}|0x[0-9a-f]{5,8}|[A-Z][a-z]+(?:[A-Z][a-z0-9]*){2,})\b/gu;

/** Whether the message carries an error code that no entry has: evidence against a text match. */
export function unknownCode(index: SearchIndex, text: string): boolean {
  for (const m of text.matchAll(CODE_SHAPE)) {
    const code = m[0].toLowerCase();
    if (code.length >= 5 && !index.codes.has(code) && !index.numericCodes.has(code)) {
      // A CamelCase word counts when it is long, like the codes are (UserErrorSomething).
      if (/^[a-z]/u.test(code) && code.length < 14) continue;
      return true;
    }
  }
  return false;
}

/** The feature vectors of a message's candidates, in BASE_FEATURES order. */
export function candidateFeatures(index: SearchIndex, bm25: Bm25Index, text: string, rec: Recognition, rule: RuleDecision, stems: Set<string> = messageStems(text)): { entry: Entry; candidate?: Candidate; features: number[] }[] {
  const hits: Bm25Hit[] = searchBm25(bm25, text, FROM_EACH + 3, stems);
  const recTop = rec.candidates.slice(0, FROM_EACH);
  const ids = [...new Set([...recTop.map((c) => c.entry.id), ...hits.slice(0, FROM_EACH).map((h) => h.entry.id)])];
  const bmTop = hits[0]?.score ?? 0;
  const bmSecond = hits[1]?.score ?? 0;
  const recFirst = rec.candidates[0];
  const recSecond = rec.candidates.find((c) => c.entry.id !== recFirst?.entry.id);
  const foreign = FOREIGN.test(text) ? 1 : 0;
  const unknown = unknownCode(index, text) ? 1 : 0;
  const length = Math.log(1 + rec.tokens.length) / Math.log(1 + 1000);
  return ids.map((id) => {
    const entry = index.entries.get(id)!;
    const recIndex = rec.candidates.findIndex((c) => c.entry.id === id);
    const candidate = recIndex >= 0 ? rec.candidates[recIndex] : undefined;
    const bmIndex = hits.findIndex((h) => h.entry.id === id);
    const bmScore = bmIndex >= 0 ? hits[bmIndex]!.score : 0;
    const isRecTop = recIndex === 0;
    const isBmTop = bmIndex === 0;
    const twin = [...recTop, ...hits.map((h) => ({ entry: h.entry }))].some((c) => c.entry.id !== id && c.entry.locales.en.title === entry.locales.en.title);
    const features = [
      Math.min(1.2, candidate?.score ?? 0),
      recIndex >= 0 ? 1 / (recIndex + 1) : 0,
      isRecTop ? (recFirst?.score ?? 0) - (recSecond?.score ?? 0) : 0,
      candidate?.via === 'code' ? 1 : 0,
      candidate?.via === 'code-typo' ? 1 : 0,
      candidate?.via === 'text' && candidate.field?.kind === 'message' ? 1 : 0,
      candidate?.via === 'text' && candidate.field?.kind !== 'message' ? 1 : 0,
      candidate?.via === 'question' ? 1 : 0,
      bmTop > 0 ? bmScore / bmTop : 0,
      bmIndex >= 0 ? 1 / (bmIndex + 1) : 0,
      isBmTop && bmTop > 0 ? (bmTop - bmSecond) / bmTop : 0,
      isRecTop && isBmTop ? 1 : 0,
      rec.product === entry.product ? 1 : 0,
      rec.product !== undefined && rec.product !== entry.product ? 1 : 0,
      foreign,
      unknown,
      length,
      entry.kind === 'guide' ? 1 : 0,
      twin ? 1 : 0,
      Math.log(1 + (candidate?.matched ?? 0)) / Math.log(1 + 30),
      rule.answer.has(id) ? 1 : 0,
      rule.suggest.has(id) ? 1 : 0,
    ];
    return { entry, ...(candidate ? { candidate } : {}), features };
  });
}

/** The word features of one candidate, in WORD_FEATURES order. */
export function wordFeatures(posteriors: ReadonlyMap<string, number>, id: string): number[] {
  let top = NONE;
  let best = -1;
  for (const [c, p] of posteriors) if (c !== NONE && p > best) [top, best] = [c, p];
  return [posteriors.get(id) ?? 0, top === id ? 1 : 0, posteriors.get(NONE) ?? 0];
}

/** A linear model's score of standardised features. */
export function linearScore(model: Linear, features: readonly number[]): number {
  let z = model.bias;
  features.forEach((x, i) => {
    z += model.weights[i]! * ((x - model.mean[i]!) / model.scale[i]!);
  });
  return z;
}

/** Within one point of a score, candidates crowd the top: a sign the message fits several. */
const CROWD = 1;
const NO_RIVAL = 5;

/** The confidence features of candidate `i` among the ranker's scores of all candidates. */
export function confidenceFeatures(scores: readonly number[], i: number, features: readonly number[]): number[] {
  const z = scores[i]!;
  const others = scores.filter((_, j) => j !== i);
  const lead = others.length ? z - Math.max(...others) : NO_RIVAL;
  const crowd = others.filter((o) => o >= z - CROWD).length;
  return [z, lead, crowd, ...features];
}

/** A message's candidates with the probability that each is the right answer, the likeliest first. */
export function rank(model: Model, index: SearchIndex, bm25: Bm25Index, text: string, rec: Recognition, rule: RuleDecision): Ranked[] {
  // The message's stems, once for both BM25F and the word model.
  const stems = messageStems(text);
  const posteriors = wordPosteriors(model.words, text, stems);
  const candidates = candidateFeatures(index, bm25, text, rec, rule, stems).map((c) => ({ ...c, features: [...c.features, ...wordFeatures(posteriors, c.entry.id)] }));
  const scores = candidates.map((c) => linearScore(model.ranker, c.features));
  return candidates
    .map((c, i) => ({ ...c, p: forestProbability(model.confidence, confidenceFeatures(scores, i, c.features)) }))
    .sort((a, b) => b.p - a.p || a.entry.id.localeCompare(b.entry.id));
}
