import type { Entry, Language } from '../knowledge/schema.ts';
import { actionWords } from '../knowledge/words.ts';
import { FUNCTION_WORDS, MARKERS } from '../language/markers.ts';
import { editDistance, stem, tokenize } from '../nlp/natural.ts';
import type { Vocabulary } from './vocabulary.ts';

/** A part of an entry that can answer a question on its own: a cause, one step, a note, the summary. */
export interface Passage {
  kind: 'summary' | 'cause' | 'step' | 'note';
  /** The cause (index) a step or cause passage belongs to; undefined for a guide's own steps. */
  cause?: number;
  /** The step's index within its cause (or the guide). */
  step?: number;
  /** The index of a note. */
  note?: number;
  /** The passage's stems in the thread's language and in English (admins mix in English words). */
  stems: Set<string>;
}

/** A question that shares less than this share of its weight with the best passage is not about it. */
const MIN_SHARE = 0.34;
/** A shorter stem is not matched inside a longer word (compounds: "registerändringen" holds "register"). */
const MIN_PREFIX = 5;
/** Stems this long may differ by one typo ("registery"). */
const MIN_FUZZY = 6;
/** An unknown word weighs as a word found in this share of the passages. */
const UNKNOWN_AS = 0.5;
/** Words that ask rather than say: they never decide which passage answers. */
const ASKING: Record<Language, string> = {
  en:
    'need needs should must which what how much many why when where whose mean means do does did can could would will there much more any exactly just also ' +
    'tell know like wondering wonder understand clarify explain confirm sure correct right actually please kindly question',
  nl:
    'moet moeten nodig welke welk wat hoe hoeveel waarom wanneer waar er kan kun mag zal zijn dat volume precies eigenlijk ook alweer even gewoon ' +
    'vertellen weten graag uitleggen bevestigen vraag vraagje benieuwd zou zeker juist klopt',
  sv:
    'behöver måste vilken vilket vilka vad hur mycket många varför när var ska skall kan behövs finns exakt egentligen också bara ' +
    'berätta veta undrar förklara bekräfta fråga säker stämmer rätt gärna',
};

/** Chat filler: it tells no passage from another. */
const GENERIC: Record<Language, string> = {
  en: 'too very really ok okay thing things stuff guys',
  nl: 'heel echt oké ding dingen jongens',
  sv: 'väldigt verkligen okej grej grejer',
};

const STOP: Record<Language, Set<string>> = {
  en: new Set([...FUNCTION_WORDS.en, ...MARKERS.en, ...ASKING.en.split(' '), ...GENERIC.en.split(' ')]),
  nl: new Set([...FUNCTION_WORDS.nl, ...MARKERS.nl, ...ASKING.nl.split(' '), ...GENERIC.nl.split(' ')]),
  sv: new Set([...FUNCTION_WORDS.sv, ...MARKERS.sv, ...ASKING.sv.split(' '), ...GENERIC.sv.split(' ')]),
};

/** The content words of a text: no function or question words, no bare numbers. */
function contentWords(text: string, language: Language): string[] {
  return tokenize(text).filter((t) => t.length >= 2 && !STOP[language].has(t) && !STOP.en.has(t) && !/^\d+$/u.test(t));
}

/** A word as its stems in the thread's language and in English, and those of its synonyms. */
function alternatives(word: string, language: Language, vocabulary: Vocabulary): string[] {
  const words = [word, ...vocabulary.synonyms(word)];
  return [...new Set(words.flatMap((w) => [stem(w, language), stem(w, 'en')]))];
}

function stemsOf(text: string, language: Language, vocabulary: Vocabulary): Set<string> {
  const out = new Set<string>();
  const withConcepts = `${text} ${vocabulary.conceptWords(text, language).join(' ')}`;
  for (const word of contentWords(withConcepts, language)) for (const s of alternatives(word, language, vocabulary)) out.add(s);
  return out;
}

export function passagesOf(entry: Entry, language: Language, vocabulary: Vocabulary): Passage[] {
  const t = entry.locales[language];
  const en = entry.locales.en;
  const out: Passage[] = [];
  const add = (p: Omit<Passage, 'stems'>, own: string, english: string) => {
    const stems = stemsOf(own, language, vocabulary);
    if (language !== 'en') for (const s of stemsOf(english, 'en', vocabulary)) stems.add(s);
    out.push({ ...p, stems });
  };
  if (t.summary) add({ kind: 'summary' }, t.summary, en.summary ?? '');
  (t.causes ?? []).forEach((c, cause) => {
    const e = en.causes?.[cause];
    add({ kind: 'cause', cause }, `${c.cause} ${c.detail ?? ''}`, `${e?.cause ?? ''} ${e?.detail ?? ''}`);
    c.actions.forEach((a, step) => add({ kind: 'step', cause, step }, actionWords(a), e?.actions[step] ? actionWords(e.actions[step]) : ''));
  });
  (t.steps ?? []).forEach((a, step) => add({ kind: 'step', step }, actionWords(a), en.steps?.[step] ? actionWords(en.steps[step]) : ''));
  (t.notes ?? []).forEach((n, note) => add({ kind: 'note', note }, n, en.notes?.[note] ?? ''));
  return out;
}

/** Whether a passage holds a word: one of its stems, inside a compound, or with one typo. */
function holds(stems: Set<string>, word: string[]): boolean {
  for (const w of word) {
    if (stems.has(w)) return true;
    for (const s of stems) {
      if (w.length >= MIN_PREFIX && s.length >= MIN_PREFIX && (w.startsWith(s) || s.startsWith(w))) return true;
      if (w.length >= MIN_FUZZY && Math.abs(s.length - w.length) <= 1 && s[0] === w[0] && editDistance(s, w) <= 1) return true;
    }
  }
  return false;
}

export interface Found {
  passage: Passage;
  /** 0..1: the share of the question's weight the passage holds. */
  share: number;
}

/**
 * The passages of an entry that answer a question, best first: scored by the share of the
 * question's words they hold, each word weighted by how rare it is among the entry's passages.
 */
export function findPassages(question: string, entry: Entry, language: Language, vocabulary: Vocabulary): Found[] {
  const words = [...new Set(contentWords(question, language))].map((w) => alternatives(w, language, vocabulary));
  if (words.length === 0) return [];
  const passages = passagesOf(entry, language, vocabulary);
  const n = passages.length;
  const weights = words.map((w) => {
    const df = passages.filter((p) => holds(p.stems, w)).length;
    // A word the entry never uses (slang, a server's name, another topic) counts against every
    // passage, but as a common word: it must not outweigh the words that do match.
    return Math.log(1 + (n + 1) / (df === 0 ? n * UNKNOWN_AS : df));
  });
  const total = weights.reduce((sum, x) => sum + x, 0);
  const found: Found[] = [];
  for (const passage of passages) {
    let held = 0;
    words.forEach((w, i) => {
      if (holds(passage.stems, w)) held += weights[i]!;
    });
    const share = held / total;
    if (share >= MIN_SHARE) found.push({ passage, share });
  }
  return bestFirst(found);
}

/** Found passages, the best first: steps answer "how" best, so on a tie a step wins over its cause, a cause over a note. */
export function bestFirst(found: Found[]): Found[] {
  const rank = { step: 0, cause: 1, note: 2, summary: 3 } as const;
  return found.sort((a, b) => b.share - a.share || rank[a.passage.kind] - rank[b.passage.kind]);
}

/** How many content words a text has. */
export function contentWordCount(text: string, language: Language): number {
  return new Set(contentWords(text, language)).size;
}

/** A statement's clauses: "X, and Y. Z" is three things tried. */
export function clauses(text: string): string[] {
  return text
    .split(/[.;,!?\n]+|\s(?:and|plus|also|en|ook|och|samt)\s/iu)
    .map((c) => c.trim())
    .filter((c) => c.length > 0);
}

/**
 * The part of a message that asks: in "We run the agent on a file server. Which account does the
 * task need?" the question sentence, without the context around it. A message without a question
 * sentence, or that is one sentence, is taken whole.
 */
export function askingPart(text: string): string {
  const sentences = text.split(/(?<=[.!?])\s+|\n+/u).map((x) => x.trim()).filter(Boolean);
  const asking = sentences.filter((x) => x.endsWith('?'));
  return sentences.length > 1 && asking.length > 0 ? asking.join(' ') : text;
}
