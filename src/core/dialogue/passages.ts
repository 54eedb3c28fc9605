import type { Action as KnowledgeAction, Entry, Language } from '../knowledge/schema.ts';
import { FUNCTION_WORDS, MARKERS } from '../language/markers.ts';
import { stem, tokenize } from '../nlp/natural.ts';
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
  stems: Set<string>;
}

/** A question that shares less than this share of its weight with the best passage is not about it. */
const MIN_SHARE = 0.34;
/** A shorter stem is not matched inside a longer word (compounds: "registerändringen" holds "register"). */
const MIN_PREFIX = 5;
/** Words that ask rather than say: they never decide which passage answers. */
const ASKING: Record<Language, string> = {
  en: 'need needs should must which what how much many why when where whose mean means do does did can could would will there much more any',
  nl: 'moet moeten nodig welke welk wat hoe hoeveel waarom wanneer waar er moet kan kun mag zal zijn dat volume',
  sv: 'behöver måste vilken vilket vilka vad hur mycket många varför när var ska skall kan behövs finns',
};

function actionText(action: KnowledgeAction): string {
  if (typeof action === 'string') return action;
  const subs = (action.steps ?? []).map((s) => (typeof s === 'string' ? s : `${s.text} ${s.code}`));
  return [action.text, ...subs, action.code ?? ''].join(' ');
}

function stopWords(language: Language): Set<string> {
  return new Set([...FUNCTION_WORDS[language], ...MARKERS[language], ...ASKING[language].split(' ')]);
}

/** The content stems of a text in one language. */
export function contentStems(text: string, language: Language): Set<string> {
  const stop = stopWords(language);
  const out = new Set<string>();
  for (const token of tokenize(text.toLowerCase())) {
    if (token.length < 2 || stop.has(token) || /^\d+$/u.test(token)) continue;
    out.add(stem(token, language));
  }
  return out;
}

export function passagesOf(entry: Entry, language: Language, vocabulary: Vocabulary): Passage[] {
  const t = entry.locales[language];
  const out: Passage[] = [];
  const add = (p: Omit<Passage, 'stems'>, text: string) => out.push({ ...p, stems: contentStems(`${text} ${vocabulary.conceptWords(text, language).join(' ')}`, language) });
  if (t.summary) add({ kind: 'summary' }, t.summary);
  (t.causes ?? []).forEach((c, cause) => {
    add({ kind: 'cause', cause }, `${c.cause} ${c.detail ?? ''}`);
    c.actions.forEach((a, step) => add({ kind: 'step', cause, step }, actionText(a)));
  });
  (t.steps ?? []).forEach((a, step) => add({ kind: 'step', step }, actionText(a)));
  (t.notes ?? []).forEach((n, note) => add({ kind: 'note', note }, n));
  return out;
}

function has(stems: Set<string>, word: string): boolean {
  if (stems.has(word)) return true;
  if (word.length < MIN_PREFIX) return false;
  for (const s of stems) {
    if (s.length >= MIN_PREFIX && (word.startsWith(s) || s.startsWith(word))) return true;
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
  const words = [...contentStems(question, language)];
  if (words.length === 0) return [];
  const passages = passagesOf(entry, language, vocabulary);
  const n = passages.length;
  const weight = new Map<string, number>();
  for (const w of words) {
    const df = passages.filter((p) => has(p.stems, w)).length;
    // A word the entry never uses still counts against every passage, as a fairly rare word.
    weight.set(w, Math.log(1 + (n + 1) / (df === 0 ? 2 : df)));
  }
  const total = words.reduce((sum, w) => sum + weight.get(w)!, 0);
  const found: Found[] = [];
  for (const passage of passages) {
    let held = 0;
    for (const w of words) if (has(passage.stems, w)) held += weight.get(w)!;
    const share = held / total;
    if (share >= MIN_SHARE) found.push({ passage, share });
  }
  // Steps answer "how" best; on a tie the step wins over its cause, the cause over a note.
  const rank = { step: 0, cause: 1, note: 2, summary: 3 } as const;
  return found.sort((a, b) => b.share - a.share || rank[a.passage.kind] - rank[b.passage.kind]);
}
