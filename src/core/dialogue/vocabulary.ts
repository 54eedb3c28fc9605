import type { VocabularyFile } from './vocabulary-file.ts';
import { LANGUAGES, PRODUCTS, type Language, type Product } from '../knowledge/terms.ts';

export type { VocabularyFile } from './vocabulary-file.ts';

/** The vocabulary as patterns: each list is one whole-word, case-insensitive alternation. */
export interface Vocabulary {
  stepWord: RegExp;
  /** "step 2", "2nd step", "step two", "the second step": the number, when the text names a step. */
  stepNumber(text: string): number | 'last' | undefined;
  /** "2", "#2", "2.", "the second one", "2, the DPM server": the number a pick names. */
  pickNumber(text: string): number | 'last' | undefined;
  language(text: string): Language | undefined;
  products(text: string): Product[];
  tried: RegExp;
  /** The words a text stands for through the identifiers in it (a registry key: "registry"). */
  conceptWords(text: string, language: Language): string[];
  /** "Still", "nog steeds", "fortfarande": it still fails. */
  still: RegExp;
  /** The other words of a word's synonym group. */
  synonyms(word: string): string[];
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/gu, '\\$&');
}

/** Whole words (and phrases) of any script: not inside a longer word. */
function anyOf(list: readonly string[]): RegExp {
  const sorted = [...new Set(list.map((w) => w.toLowerCase()))].sort((a, b) => b.length - a.length);
  return new RegExp(`(?<![\\p{L}\\p{N}])(?:${sorted.map(escape).join('|')})(?![\\p{L}\\p{N}])`, 'iu');
}

function indexOf(lists: readonly (readonly string[])[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const list of lists) list.forEach((w, i) => out.set(w.toLowerCase(), i + 1));
  return out;
}

export function compileVocabulary(file: VocabularyFile): Vocabulary {
  const all = (lists: Record<Language, string[]>) => LANGUAGES.flatMap((l) => lists[l]);
  const stepWords = all(file.step_words);
  const stepWord = anyOf(stepWords);
  const ordinal = indexOf(LANGUAGES.map((l) => file.ordinals[l]));
  const number = indexOf(LANGUAGES.map((l) => file.numbers[l]));
  const ordinalWord = anyOf([...ordinal.keys()]);
  const lastWord = anyOf(all(file.last));
  const steps = stepWords.map(escape).join('|');
  const numbers = [...number.keys()].map(escape).join('|');
  // "step 2", "step #2", "stap twee"; "2nd step", "2e stap", "2:a steget".
  const numbered = new RegExp(`(?<![\\p{L}])(?:${steps})\\s*#?\\s*(\\d{1,2}|${numbers})(?![\\p{L}\\p{N}])|(?<![\\p{L}\\p{N}])(\\d{1,2})(?:st|nd|rd|th|e|de|:a|:e|a)?\\s+(?:${steps})(?![\\p{L}])`, 'iu');
  const languages = LANGUAGES.map((l) => [l, anyOf(file.language_names[l])] as const);
  const products = PRODUCTS.map((p) => [p, anyOf(file.product_names[p])] as const);

  const synonyms = new Map<string, string[]>();
  for (const group of file.synonyms) {
    const lower = group.map((w) => w.toLowerCase());
    for (const w of lower) synonyms.set(w, [...new Set([...(synonyms.get(w) ?? []), ...lower.filter((x) => x !== w)])]);
  }
  const numberOf = (token: string) => (/^\d+$/u.test(token) ? Number(token) : (number.get(token.toLowerCase()) ?? Number.NaN));
  return {
    stepWord,
    stepNumber(text) {
      const m = numbered.exec(text);
      const n = m?.[1] ?? m?.[2];
      if (n !== undefined) return numberOf(n);
      if (!stepWord.test(text)) return undefined;
      const o = ordinalWord.exec(text);
      if (o) return ordinal.get(o[0].toLowerCase());
      return lastWord.test(text) ? 'last' : undefined;
    },
    pickNumber(text) {
      const t = text.trim();
      const digit = /^#?(\d{1,2})(?:\s*[.):,-]|\s|$)/u.exec(t);
      if (digit) return Number(digit[1]);
      const o = ordinalWord.exec(t);
      if (o) return ordinal.get(o[0].toLowerCase());
      return lastWord.test(t) ? 'last' : undefined;
    },
    language(text) {
      const found = languages.filter(([, pattern]) => pattern.test(text));
      return found.length === 1 ? found[0]![0] : undefined;
    },
    products(text) {
      return products.filter(([, pattern]) => pattern.test(text)).map(([p]) => p);
    },
    tried: anyOf(all(file.tried)),
    still: anyOf(all(file.still)),
    synonyms: (word) => synonyms.get(word.toLowerCase()) ?? [],
    conceptWords(text, language) {
      const lower = text.toLowerCase();
      return file.concepts.filter((c) => c.marks.some((m) => lower.includes(m.toLowerCase()))).flatMap((c) => c.words[language]);
    },
  };
}
