import type { Action, Entry, Language } from '../knowledge/schema.ts';
import { LANGUAGES } from '../knowledge/terms.ts';
import { FUNCTION_WORDS } from '../language/markers.ts';
import { stem, tokenize } from '../nlp/natural.ts';

/** A text of an entry that a message can match: an error message, a title or a summary. */
export interface Field {
  entry: Entry;
  kind: 'message' | 'title' | 'summary';
  language: Language;
  /** Distinct stems of the field, without stop words. */
  stems: string[];
  /** The field's raw words, to find which words of a paste belong to the error text. */
  words: Set<string>;
  /** The field's most telling stem (highest IDF): a match without it is weak. */
  key: string;
  /** Sum of the stems' weights (at least MIN_FIELD_WEIGHT, so one-word titles can't match alone). */
  weight: number;
}

/** All the words of an entry in one language (title, summary, causes, steps, asked), for questions. */
export interface Body {
  entry: Entry;
  language: Language;
  stems: Set<string>;
  /** The stems of each of the entry's `asked` questions in this language, with their summed weight. */
  asked: { stems: Set<string>; weight: number }[];
}

export interface SearchIndex {
  fields: Field[];
  bodies: Body[];
  /** Inverse document frequency of each stem over all fields. */
  idf: Map<string, number>;
  /** Stem → the fields that hold it (indexes into `fields`): a message looks only at those. */
  fieldPostings: Map<string, number[]>;
  /** Words that only one language's text uses (no digits, three letters or more): they tell the
   * writer's language where function words are few ("vss-tjänsten i dåligt läge"). */
  ownWords: Record<Language, ReadonlySet<string>>;
  /** Stem → the languages whose texts have it, so that a typo is matched within one language. */
  stemLanguages: Map<string, Set<Language>>;
  /** Inverse document frequency of each stem over the entries' whole texts, for questions. */
  bodyIdf: Map<string, number>;
  /** Stem → the bodies that hold it (indexes into `bodies`). */
  bodyPostings: Map<string, number[]>;
  /** Stem → the asked questions that hold it, as `body index * ASKED_SLOTS + question index`. */
  askedPostings: Map<string, number[]>;
  /** Stems by their one-letter deletions, to match a word with one typo. */
  deletions: Map<string, string[]>;
  /** Lower-cased codes → the entries that carry them. */
  codes: Map<string, Entry[]>;
  /** Symbolic codes (lower case) by their one-letter deletions, for one typo. */
  codeDeletions: Map<string, string[]>;
  /** The numeric codes, for finding an unlabelled one in prose. */
  numericCodes: Set<string>;
  entries: Map<string, Entry>;
  /** The first PREFIX letters of every stem. */
  prefixes: Set<string>;
  /** The longest stem or code the index holds: a longer token can match nothing, even with a typo. */
  longest: number;
}

export const STOP_WORDS: ReadonlySet<string> = new Set([...FUNCTION_WORDS.en, ...FUNCTION_WORDS.nl, ...FUNCTION_WORDS.sv].filter((w) => !/^(?:fails?|failed|failing|error|errors|fout|fel|felet|mislukt|misslyckas|misslyckades|run|runs|running|work|works|werkt|fungerar|steps?|stap|stappen|steg)$/u.test(w)));
const MIN_FIELD_WEIGHT = 9;
/** How many first letters of a word `prefixes` keeps. */
export const PREFIX = 4;
/** At most this many asked questions per entry and language take part in matching. */
export const ASKED_SLOTS = 16;
const FIELD_WEIGHT: Record<Field['kind'], number> = { message: 1, title: 0.92, summary: 0.75 };

export function fieldWeight(kind: Field['kind']): number {
  return FIELD_WEIGHT[kind];
}

function actionText(action: Action): string {
  if (typeof action === 'string') return action;
  return [action.text, ...(action.steps ?? []).map((s) => (typeof s === 'string' ? s : s.text))].join(' ');
}

function deletionsOf(word: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < word.length; i += 1) out.push(word.slice(0, i) + word.slice(i + 1));
  return out;
}

function addDeletions(map: Map<string, string[]>, word: string): void {
  for (const key of [word, ...deletionsOf(word)]) {
    const list = map.get(key);
    if (!list) map.set(key, [word]);
    else if (!list.includes(word)) list.push(word);
  }
}

/** Stems of a text in one language, stop words left out. */
export function stemsOf(text: string, language: Language): string[] {
  return [...new Set(tokenize(text).filter((t) => !STOP_WORDS.has(t)).map((t) => stem(t, language)))];
}

export function buildIndex(entries: readonly Entry[]): SearchIndex {
  const fields: Field[] = [];
  for (const entry of entries) {
    for (const language of LANGUAGES) {
      const t = entry.locales[language];
      const texts: [Field['kind'], string][] = [
        ...(t.messages ?? []).map((m) => ['message', m] as [Field['kind'], string]),
        ['title', t.title],
      ];
      if (t.summary) texts.push(['summary', t.summary]);
      for (const [kind, text] of texts) {
        // Backticked spans are paths and commands: they match as words like any other.
        const stems = stemsOf(text, language);
        if (stems.length === 0) continue;
        fields.push({ entry, kind, language, stems, words: new Set(tokenize(text)), key: '', weight: 0 });
      }
    }
  }

  const bodies: Body[] = [];
  // The words each language's texts use, for the words only one language uses.
  const used: Record<Language, Set<string>> = { en: new Set(), nl: new Set(), sv: new Set() };
  for (const entry of entries) {
    for (const language of LANGUAGES) {
      const t = entry.locales[language];
      const parts = [t.title, t.summary ?? '', ...(t.causes ?? []).flatMap((c) => [c.cause, c.detail ?? '', ...c.actions.map(actionText)]), ...(t.steps ?? []).map(actionText)];
      for (const word of tokenize([...parts, ...(t.messages ?? []), ...(t.asked ?? [])].join(' '))) if (word.length >= 3 && !/\d/u.test(word)) used[language].add(word);
      const asked = (t.asked ?? []).map((q) => stemsOf(q, language));
      bodies.push({
        entry,
        language,
        stems: new Set([...stemsOf(parts.join(' '), language), ...asked.flat()]),
        asked: asked.map((q) => ({ stems: new Set(q), weight: 0 })),
      });
    }
  }
  const own = (language: Language) => new Set([...used[language]].filter((w) => LANGUAGES.every((l) => l === language || !used[l].has(w))));
  const ownWords = { en: own('en'), nl: own('nl'), sv: own('sv') };

  const bodyDf = new Map<string, number>();
  for (const entry of entries) {
    const all = new Set(bodies.filter((b) => b.entry === entry).flatMap((b) => [...b.stems]));
    for (const st of all) bodyDf.set(st, (bodyDf.get(st) ?? 0) + 1);
  }
  const bodyIdf = new Map<string, number>();
  for (const [st, n] of bodyDf) bodyIdf.set(st, Math.log(1 + entries.length / n));
  const bodyPostings = new Map<string, number[]>();
  const askedPostings = new Map<string, number[]>();
  const post = (map: Map<string, number[]>, key: string, value: number) => {
    const list = map.get(key);
    if (list) list.push(value);
    else map.set(key, [value]);
  };
  bodies.forEach((body, b) => {
    for (const st of body.stems) post(bodyPostings, st, b);
    body.asked.slice(0, ASKED_SLOTS).forEach((q, i) => {
      for (const st of q.stems) {
        q.weight += bodyIdf.get(st) ?? 0;
        post(askedPostings, st, b * ASKED_SLOTS + i);
      }
    });
  });

  const df = new Map<string, number>();
  for (const f of fields) for (const s of f.stems) df.set(s, (df.get(s) ?? 0) + 1);
  const idf = new Map<string, number>();
  for (const [s, n] of df) idf.set(s, Math.log(1 + fields.length / n));
  for (const f of fields) {
    f.key = f.stems.reduce((best, s) => ((idf.get(s) ?? 0) > (idf.get(best) ?? 0) ? s : best), f.stems[0] ?? '');
    f.weight = Math.max(
      MIN_FIELD_WEIGHT,
      f.stems.reduce((sum, s) => sum + (idf.get(s) ?? 0), 0),
    );
  }

  const fieldPostings = new Map<string, number[]>();
  const stemLanguages = new Map<string, Set<Language>>();
  fields.forEach((f, i) => {
    for (const st of f.stems) {
      post(fieldPostings, st, i);
      const langs = stemLanguages.get(st) ?? new Set<Language>();
      langs.add(f.language);
      stemLanguages.set(st, langs);
    }
  });

  const deletions = new Map<string, string[]>();
  for (const s of idf.keys()) if (s.length >= 5) addDeletions(deletions, s);

  const codes = new Map<string, Entry[]>();
  const codeDeletions = new Map<string, string[]>();
  for (const entry of entries) {
    for (const code of entry.codes) {
      const key = code.toLowerCase();
      codes.set(key, [...(codes.get(key) ?? []), entry]);
      if (/[a-z]/u.test(key) && !key.startsWith('0x') && key.length >= 8) addDeletions(codeDeletions, key);
    }
  }
  const numericCodes = new Set([...codes.keys()].filter((c) => /^\d+$/u.test(c)));
  const longest = Math.max(...[...idf.keys(), ...bodyIdf.keys(), ...codes.keys()].map((k) => k.length));
  const prefixes = new Set([...idf.keys()].map((k) => k.slice(0, PREFIX)));
  return { fields, fieldPostings, ownWords, stemLanguages, bodies, idf, bodyIdf, bodyPostings, askedPostings, deletions, codes, codeDeletions, numericCodes, entries: new Map(entries.map((e) => [e.id, e])), prefixes, longest };
}

/** Look-ups already made, per deletions map; a bounded cache, emptied when full. */
const NEAR_CACHE_SIZE = 20_000;
const nearCache = new WeakMap<Map<string, string[]>, Map<string, string[]>>();

/** Candidates within one edit (insert, delete, substitute, transpose) of a word, via deletions. */
export function nearWords(map: Map<string, string[]>, word: string): string[] {
  let cache = nearCache.get(map);
  if (!cache) nearCache.set(map, (cache = new Map()));
  const known = cache.get(word);
  if (known) return known;
  const out = new Set<string>();
  for (const key of [word, ...deletionsOf(word)]) for (const w of map.get(key) ?? []) out.add(w);
  const near = [...out];
  if (cache.size >= NEAR_CACHE_SIZE) cache.clear();
  cache.set(word, near);
  return near;
}
