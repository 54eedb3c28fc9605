import { createRequire } from 'node:module';
import type { Language } from '../knowledge/schema.ts';

// natural's index also loads its storage back-ends (and with them dotenv, which reads a .env file
// and prints to stdout). The modules below are the parts we use, required one by one.
const require = createRequire(import.meta.url);

interface Stemmer {
  stem(token: string): string;
}
interface Tokenizer {
  tokenize(text: string): string[];
}
export interface BayesClassifier {
  addDocument(tokens: string[], label: string): void;
  train(): void;
  getClassifications(tokens: string[]): { label: string; value: number }[];
  /** The features seen in training (natural keeps them as an object's keys). */
  features: Record<string, unknown>;
  /** The naive Bayes model itself: it classifies a vector of 0/1 per feature, in `features` order. */
  classifier: { getClassifications(vector: number[]): { label: string; value: number }[] };
}

const stemmers: Record<Language, Stemmer> = {
  en: require('natural/lib/natural/stemmers/porter_stemmer.js') as Stemmer,
  nl: require('natural/lib/natural/stemmers/porter_stemmer_nl.js') as Stemmer,
  sv: require('natural/lib/natural/stemmers/porter_stemmer_sv.js') as Stemmer,
};

const RegexpTokenizer = (require('natural/lib/natural/tokenizers/regexp_tokenizer.js') as {
  RegexpTokenizer: new (options: { pattern: RegExp }) => Tokenizer;
}).RegexpTokenizer;

const { DamerauLevenshteinDistance } = require('natural/lib/natural/distance/levenshtein_distance.js') as {
  DamerauLevenshteinDistance: (a: string, b: string, options?: { restricted?: boolean }) => number;
};

const BayesClassifierCtor = require('natural/lib/natural/classifiers/bayes_classifier.js') as {
  new (stemmer?: unknown, smoothing?: number): BayesClassifier;
  restore(data: unknown): BayesClassifier;
};

/** Words of any script, numbers kept; everything else splits. */
const wordTokenizer = new RegexpTokenizer({ pattern: /[^\p{L}\p{N}]+/u });

export function tokenize(text: string): string[] {
  return wordTokenizer.tokenize(text.toLowerCase()).filter((t) => t.length > 0);
}

/** No word of ours is longer; a longer token is kept as it is rather than stemmed. */
const MAX_STEMMED = 40;
/** Stems already computed, per language; a bounded cache, emptied when full. */
const CACHE_SIZE = 50_000;
const cache: Record<Language, Map<string, string>> = { en: new Map(), nl: new Map(), sv: new Map() };

export function stem(token: string, language: Language): string {
  if (token.length > MAX_STEMMED) return token;
  const known = cache[language].get(token);
  if (known !== undefined) return known;
  const stemmed = stemmers[language].stem(token);
  if (cache[language].size >= CACHE_SIZE) cache[language].clear();
  cache[language].set(token, stemmed);
  return stemmed;
}

/** Edit distance with transpositions: one typo is 1. */
export function editDistance(a: string, b: string): number {
  return DamerauLevenshteinDistance(a, b, { restricted: true });
}

export function createBayesClassifier(): BayesClassifier {
  return new BayesClassifierCtor(undefined, 0.5);
}

/** A classifier from what `JSON.stringify` made of a trained one. */
export function restoreBayesClassifier(data: unknown): BayesClassifier {
  return BayesClassifierCtor.restore(data);
}
