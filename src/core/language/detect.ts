import type { Language } from '../knowledge/schema.ts';
import { LANGUAGES } from '../knowledge/terms.ts';
import { CHAT_WORDS, MARKERS, OTHER_MARKERS } from './markers.ts';

export type Detected = Language | 'other' | undefined;

const isOwn = (t: string, lang: Language) => MARKERS[lang].has(t) && LANGUAGES.filter((l) => MARKERS[l].has(t)).length === 1;

/**
 * How much a word says that its writer uses `lang`. A marker counts once, a word of only this
 * language once more, and a word only a person writes (a pronoun, a question word) once more:
 * "…trusted launch azure vm, vad gör man då?" is Swedish. Other words that only one language's
 * texts use (`ownWords`) count once for Dutch and Swedish, and not for English: Dutch and Swedish
 * admins write English technical words all the time, English admins never write Dutch or Swedish
 * ones. Likewise a word spelled with å, ä or ö is Swedish ("dåligt läge"), and one with "ij" likely
 * Dutch ("blijft").
 */
function wordScore(t: string, lang: Language, ownWords?: Record<Language, ReadonlySet<string>>): number {
  if (MARKERS[lang].has(t)) return 1 + (isOwn(t, lang) ? 1 : 0) + (CHAT_WORDS[lang].has(t) ? 1 : 0);
  if (ownWords?.[lang].has(t)) return lang === 'en' ? 0 : 1;
  if (lang === 'sv' && /[åäö]/u.test(t)) return 1;
  if (lang === 'nl' && /ij/u.test(t)) return 0.5;
  return 0;
}

/** How much the words say that their writer uses `lang` (see `wordScore`). */
export function languageScore(tokens: readonly string[], lang: Language, ownWords?: Record<Language, ReadonlySet<string>>): number {
  return tokens.reduce((n, t) => n + wordScore(t, lang, ownWords), 0);
}

/**
 * The language of a short text from its function words: a supported language, 'other' when the
 * words belong to a language we don't answer in, or undefined when there are no telling words.
 */
export function detectLanguage(tokens: readonly string[], ownWords?: Record<Language, ReadonlySet<string>>): Detected {
  const score = (lang: Language) => languageScore(tokens, lang, ownWords);
  const counts = LANGUAGES.map((lang) => ({ lang, n: score(lang) }));
  counts.sort((a, b) => b.n - a.n);
  const best = counts[0];
  const other = tokens.filter((t) => OTHER_MARKERS.has(t) && !LANGUAGES.some((l) => MARKERS[l].has(t))).length;
  const markers = best ? tokens.filter((t) => MARKERS[best.lang].has(t)).length : 0;
  if (other >= 2 && other > markers) return 'other';
  if (!best || best.n === 0) return undefined;
  const tied = counts.filter((c) => c.n === best.n).map((c) => c.lang);
  if (tied.length === 1) return best.lang;
  // A tie: the first word of one tied language alone decides: people write their own words first
  // and paste after them.
  const first = tokens.find((t) => tied.some((l) => isOwn(t, l)));
  return first === undefined ? undefined : tied.find((l) => isOwn(first, l));
}

/** `nl-NL`, `sv`, `en_US` → the supported language, or undefined. */
export function languageFromLocale(locale: string | undefined): Language | undefined {
  const code = locale?.trim().slice(0, 2).toLowerCase();
  return LANGUAGES.find((l) => l === code);
}
