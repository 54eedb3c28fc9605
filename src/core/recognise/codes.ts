/** A code as it was found in the text, normalised for lookup. */
export interface FoundCode {
  code: string;
  /** The language of the label in front of it (`Fout 34506` is Dutch product text), if it tells. */
  language?: 'en' | 'nl' | 'sv';
  /** How it was found: after a label (`ID: 34513`), as a hex code, or the message is only the code. */
  how: 'labelled' | 'hex' | 'bare' | 'loose';
}

// Labels people paste before a numeric code, in en, nl and sv, and in the products' own formats.
// The look-ahead on the first letter lets the engine skip every other position quickly.
const LABEL =
  '(?:\\b(?=[cefghik])(?:id|error(?:\\s?(?:code|id))?|fout(?:code|-?id)?|fel(?:kod|-?id)?|errorcode|foutcode|felkod|code|kod|event(?:\\s?id)?|gebeurtenis(?:-?id)?|händelse(?:-?id)?))';
const LABELLED = new RegExp(`(${LABEL})\\s*(?:[:#=-]\\s*)?(?:\\(\\s*)?(\\d{3,6})\\b`, 'giu');

function labelLanguage(label: string): FoundCode['language'] {
  const l = label.toLowerCase();
  if (l.startsWith('fout') || l.startsWith('gebeurtenis')) return 'nl';
  if (l.startsWith('fel') || l.startsWith('kod') || l.startsWith('händelse')) return 'sv';
  if (l.startsWith('error')) return 'en';
  return undefined;
}
/** Words around an HTTP status: with them, a three-digit "error 403" is the web's, not ours. */
const HTTP_CONTEXT = /\bhttps?\b|\bstatus(?:\s?code)?\b|\b(?:forbidden|unauthori[sz]ed|not found|bad request|conflict|too many requests|service unavailable|gateway)\b/iu;
const PAREN_ID = /\(\s*id\s*(?:[:#]\s*)?(\d{3,6})\s*\)/giu;
const HEX = /\b0x[0-9a-f]{4,8}\b/giu;
const BARE = /^(?:[[(]\s*)?(\d{3,6}|0x[0-9a-f]{4,8})(?:\s*[\])])?(?:\s*[.!?])?$/iu;

const LOOSE = /(?<![\d.,:/-])\d{5,6}(?![\d.,:/-]\d)/gu;
const LABEL_LANGUAGE = new RegExp(`(${LABEL})\\s*[:#=-]`, 'iu');

/** The language of the first code label in the text (`Felkod:` → sv), if any. */
export function labelLanguageOf(text: string): FoundCode['language'] {
  const m = LABEL_LANGUAGE.exec(text);
  return m?.[1] ? labelLanguage(m[1]) : undefined;
}

/**
 * Numeric and hex codes in the text. `known` are the numeric codes of the knowledge base: a
 * five- or six-digit one counts even without a label ("fails with 230006"), shorter ones only
 * with a label. Symbolic codes are matched against the vocabulary elsewhere.
 */
export function findCodes(text: string, known: ReadonlySet<string> = new Set(), options: { foreign?: boolean } = {}): FoundCode[] {
  const found = new Map<string, FoundCode>();
  const add = (code: string, how: FoundCode['how'], language?: FoundCode['language']) => {
    const key = code.toLowerCase();
    const prev = found.get(key);
    if (!prev) found.set(key, { code: key, how, ...(language ? { language } : {}) });
    else if (language && !prev.language) prev.language = language;
  };
  const bare = BARE.exec(text.trim());
  if (bare?.[1]) add(bare[1], 'bare');
  for (const m of text.matchAll(PAREN_ID)) if (m[1]) add(m[1], 'labelled');
  // "Error 403 Forbidden" from a web API is an HTTP status, not our ID 403; so is "Code: 403" in
  // a message about another vendor's product.
  const http = options.foreign === true || HTTP_CONTEXT.test(text);
  for (const m of text.matchAll(LABELLED)) if (m[1] && m[2] && !(http && m[2].length === 3)) add(m[2], 'labelled', labelLanguage(m[1]));
  for (const m of text.matchAll(HEX)) add(m[0], 'hex');
  for (const m of text.matchAll(LOOSE)) if (known.has(m[0])) add(m[0], 'loose');
  return [...found.values()];
}
