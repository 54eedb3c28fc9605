import type { Product } from '../knowledge/schema.ts';
import type { Candidate } from '../recognise/recognise.ts';

/** Answer with one entry from this score on. */
export const ANSWER = 0.62;
/** Above this, a pasted message is clearly in the text (several of them make a multi-error paste). */
export const STRONG = 0.8;
/** Twins this close are the same evidence: the product decides, or the user. */
const TWIN_GAP = 0.1;
/** A little below ANSWER, a question with a clear lead over every other entry is answered too. */
export const CLEAR_ANSWER = 0.55;
const CLEAR_MARGIN = 0.15;
/** Offer candidates as "did you mean" from this score on (a question's words: a little higher). */
export const SUGGEST = 0.4;
const SUGGEST_QUESTION = 0.5;
/** The lead the best candidate needs over a different second to be answered alone. */
const MARGIN = 0.08;
/** Alternatives within this of the leader, for the same pasted text, are a real ambiguity. */
const TIE = 0.04;
const MAX_ERRORS = 3;
const MAX_SUGGESTIONS = 3;

export interface Decision {
  /** The entries to answer with, in the order of the paste. */
  answer: Candidate[];
  /** Candidates to offer when none is sure. */
  suggest: Candidate[];
}

/** Where in the text a candidate's evidence is: its code, or the middle of its words. */
function position(c: Candidate, lower: string): number {
  const codes = c.entry.codes.map((code) => lower.indexOf(code.toLowerCase())).filter((i) => i >= 0);
  if (codes.length) return Math.min(...codes);
  const at = [...(c.field?.words ?? [])].filter((w) => w.length >= 4).map((w) => lower.indexOf(w)).filter((i) => i >= 0).sort((a, b) => a - b);
  return at.length ? at[Math.floor(at.length / 2)]! : Number.MAX_SAFE_INTEGER;
}

/** Several errors of one paste, in the order the paste has them. */
export function inPasteOrder(answer: Candidate[], text: string): Candidate[] {
  if (answer.length < 2) return answer;
  const lower = text.toLowerCase();
  return answer.map((c) => ({ c, at: position(c, lower) })).sort((a, b) => a.at - b.at).map((x) => x.c);
}

/** Chooses what to answer: one entry, several distinct errors, or candidates to offer. */
export function decide(all: Candidate[], product?: Product): Decision {
  let candidates = all;
  const first = candidates[0];
  if (!first) return { answer: [], suggest: [] };
  // The same error in two articles (twins): the product the message is about decides, and without
  // one the message is ambiguous, however slightly the two texts differ.
  const twin = candidates.find((c) => c !== first && isTwin(first, c) && first.score - c.score < TWIN_GAP);
  if (twin) {
    // Without a product, a paste that holds all of one twin's message and more of it than the
    // other's (a word only one article's wording has) is that twin's.
    const fuller = (first.matched ?? 0) > (twin.matched ?? 0) ? first : (twin.matched ?? 0) > (first.matched ?? 0) ? twin : undefined;
    const bothPasted = first.field?.kind === 'message' && twin.field?.kind === 'message' && Math.min(first.score, twin.score) >= STRONG;
    const exact = bothPasted ? fuller : undefined;
    const chosen = [first, twin].find((c) => c.entry.product === product) ?? exact;
    if (chosen) candidates = [{ ...chosen, score: Math.max(first.score, chosen.score) }, ...candidates.filter((c) => c !== first && c !== twin)];
    else if (first.score >= SUGGEST) return { answer: [], suggest: [first, twin] };
  }
  const top = candidates[0]!;

  // Group the strong candidates by the evidence behind them: the same code, or overlapping text,
  // is one pasted error with alternatives; different evidence is another error in the same paste.
  const groups: Candidate[][] = [];
  for (const c of candidates) {
    if (c.score < STRONG) break;
    if (c.via === 'question') continue; // a question's words are not a pasted error
    const group = groups.find((g) => sameEvidence(g[0]!, c));
    if (group) group.push(c);
    else if (groups.length < MAX_ERRORS) groups.push([c]);
  }

  if (groups.length > 0) {
    const leaders: Candidate[] = [];
    for (const g of groups) {
      const [leader, runnerUp] = g;
      if (runnerUp && leader!.score - runnerUp.score < TIE) {
        if (groups.length === 1) return { answer: [], suggest: g.slice(0, MAX_SUGGESTIONS) };
        continue; // an ambiguous error among clear ones: leave it out rather than guess
      }
      leaders.push(leader!);
    }
    return { answer: leaders, suggest: [] };
  }

  const second = candidates.find((c) => c.entry.id !== top.entry.id);
  const lead = top.score - (second?.score ?? 0);
  if (top.score >= ANSWER && lead >= MARGIN) return { answer: [top], suggest: [] };
  if (top.via === 'question' && top.score >= CLEAR_ANSWER && lead >= CLEAR_MARGIN) return { answer: [top], suggest: [] };
  const suggestFrom = top.via === 'question' ? SUGGEST_QUESTION : SUGGEST;
  if (top.score >= suggestFrom) {
    const floor = Math.max(suggestFrom, top.score - 0.15);
    return { answer: [], suggest: candidates.filter((c) => c.score >= floor).slice(0, MAX_SUGGESTIONS) };
  }
  return { answer: [], suggest: [] };
}

function isTwin(a: Candidate, b: Candidate): boolean {
  return a.entry.product !== b.entry.product && a.entry.locales.en.title === b.entry.locales.en.title;
}

function sameEvidence(a: Candidate, b: Candidate): boolean {
  if (a.entry.id === b.entry.id) return true;
  const sharedCode = a.entry.codes.some((code) => b.entry.codes.some((other) => other.toLowerCase() === code.toLowerCase()));
  if ((a.via !== 'text' || b.via !== 'text') && sharedCode) return true;
  if (a.field && b.field) {
    const [small, large] = a.field.words.size <= b.field.words.size ? [a.field.words, b.field.words] : [b.field.words, a.field.words];
    let shared = 0;
    for (const w of small) if (large.has(w)) shared += 1;
    return shared / Math.max(1, small.size) >= 0.6;
  }
  return false;
}

