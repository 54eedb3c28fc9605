import type { Language } from '../knowledge/schema.ts';
import { LANGUAGES } from '../knowledge/schema.ts';
import { MARKERS, OTHER_MARKERS } from './markers.ts';

export type Detected = Language | 'other' | undefined;

/**
 * The language of a short text from its function words: a supported language, 'other' when the
 * words belong to a language we don't answer in, or undefined when there are no telling words.
 */
export function detectLanguage(tokens: readonly string[]): Detected {
  const counts = LANGUAGES.map((lang) => ({ lang, n: tokens.filter((t) => MARKERS[lang].has(t)).length }));
  counts.sort((a, b) => b.n - a.n);
  const best = counts[0];
  const second = counts[1];
  const other = tokens.filter((t) => OTHER_MARKERS.has(t) && !LANGUAGES.some((l) => MARKERS[l].has(t))).length;
  if (other >= 2 && other > (best?.n ?? 0)) return 'other';
  if (!best || best.n === 0) return undefined;
  if (second && best.n === second.n) {
    // A tie: the language with more words of its own (not shared with the other) wins. If that ties
    // too, the first such word decides: people write their own words first and paste after them.
    const isOwn = (t: string, lang: Language) => MARKERS[lang].has(t) && LANGUAGES.filter((l) => MARKERS[l].has(t)).length === 1;
    const a = tokens.filter((t) => isOwn(t, best.lang)).length;
    const b = tokens.filter((t) => isOwn(t, second.lang)).length;
    if (a !== b) return a > b ? best.lang : second.lang;
    const first = tokens.find((t) => isOwn(t, best.lang) || isOwn(t, second.lang));
    if (first === undefined) return undefined;
    return isOwn(first, best.lang) ? best.lang : second.lang;
  }
  return best.lang;
}

/** `nl-NL`, `sv`, `en_US` → the supported language, or undefined. */
export function languageFromLocale(locale: string | undefined): Language | undefined {
  const code = locale?.trim().slice(0, 2).toLowerCase();
  return LANGUAGES.find((l) => l === code);
}
