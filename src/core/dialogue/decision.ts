import type { Product } from '../knowledge/schema.ts';
import type { Model, Ranked, RuleDecision } from '../recognise/ranker.ts';
import { STOP_WORDS } from '../recognise/index.ts';
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
/** A code found exactly (labelled, bare, symbolic), not a Windows HRESULT every product prints. */
const EXACT_CODE = 0.9;
/** The ranker's belief above which the rules' candidates are offered as "did you mean". */
const UNDECIDED = 0.3;
const MAX_SUGGESTIONS = 3;

export interface Decision {
  /** The entries to answer with, in the order of the paste. */
  answer: Candidate[];
  /** Candidates to offer when none is sure. */
  suggest: Candidate[];
  /** A close second to name under a single answer ("could also be"). */
  also?: Candidate;
}

/** A ranked entry as a candidate whose score is its probability. */
function asCandidate(r: Ranked): Candidate {
  return r.candidate ? { ...r.candidate, score: r.p } : { entry: r.entry, score: r.p, via: 'question' };
}

/**
 * The decision with the learned ranker: several distinct errors of one paste are answered as
 * before; otherwise one answer when it is likely right (naming a close second), candidates when
 * the ranker is undecided, and nothing below the offer threshold. The thresholds come with the
 * model, chosen on validation data.
 */
export function decideRanked(classic: Decision, ranked: Ranked[], thresholds: Model['thresholds'], named?: Product): Decision {
  if (classic.answer.length > 1) return classic;
  const [top, second] = ranked;
  const { answer, also, suggest } = thresholds;
  const withAlso = (chosen: Candidate): Decision => {
    const rival = ranked.find((r) => r.entry.id !== chosen.entry.id);
    return { answer: [chosen], suggest: [], ...(rival && rival.p >= also ? { also: asCandidate(rival) } : {}) };
  };
  // An exact code is an identifier: the entry that carries it is the answer, whatever the words say.
  const ruled = classic.answer[0];
  if (ruled?.via === 'code' && ruled.score >= EXACT_CODE) return withAlso(ruled);
  // A product the message names outweighs the words: the rules' answer in that product stands
  // against the ranker's pick in another ("VSS writer failed on the MABS server").
  if (ruled && named && ruled.entry.product === named && top && top.entry.product !== named && ruled.score >= SUGGEST) return withAlso(ruled);
  // The same error in two articles, and no product words to tell which: both are offered, each
  // with its product, however sure the ranker is of one.
  const twins = classic.suggest.length === 2 && sameErrorElsewhere(classic.suggest[0]!, classic.suggest[1]!);
  if (twins && !named && top && classic.suggest.some((c) => c.entry.id === top.entry.id)) return { answer: [], suggest: classic.suggest };
  // Otherwise the ranker answers when its probability passes the threshold its validation chose:
  // the policy `npm run train` measured (what the rules would do is one of its features).
  if (top && top.p >= answer) return withAlso(asCandidate(top));
  if (ruled && top && top.entry.id !== ruled.entry.id && top.p >= suggest) return { answer: [], suggest: [ruled, asCandidate(top)] };
  // Undecided: the rules' candidates (the same error in two articles, a near tie), if the ranker
  // finds them likely enough, else the ranker's own.
  if (classic.suggest.length > 0 && top && top.p >= UNDECIDED && classic.suggest.some((c) => c.entry.id === top.entry.id)) return { answer: [], suggest: classic.suggest };
  if (!top || top.p < suggest || second === undefined) return { answer: [], suggest: [] };
  return { answer: [], suggest: ranked.filter((r) => r.p >= suggest).slice(0, MAX_SUGGESTIONS).map(asCandidate) };
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

/**
 * Chooses what to answer: one entry, several distinct errors, or candidates to offer. `tokens` are
 * the message's words: which of a candidate's words the message holds.
 */
export function decide(all: Candidate[], product?: Product, tokens: readonly string[] = []): Decision {
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
    if (c.via === 'question' || c.entry.kind === 'guide') continue; // a question's words, or a guide, are not a pasted error
    const group = groups.find((g) => sameEvidence(g[0]!, c, tokens));
    if (group) group.push(c);
    // Another error of the paste is pasted: its code or its message, not words of its title.
    else if (groups.length < MAX_ERRORS && (groups.length === 0 || c.via !== 'text' || c.field?.kind === 'message')) groups.push([c]);
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

/** The same error in another product's article: the same title, or a code both carry. */
function sameErrorElsewhere(a: Candidate, b: Candidate): boolean {
  return isTwin(a, b) || (a.entry.product !== b.entry.product && shareCode(a, b));
}

function shareCode(a: Candidate, b: Candidate): boolean {
  return a.entry.codes.some((code) => b.entry.codes.some((other) => other.toLowerCase() === code.toLowerCase()));
}

function isTwin(a: Candidate, b: Candidate): boolean {
  return a.entry.product !== b.entry.product && a.entry.locales.en.title === b.entry.locales.en.title;
}

/** Fields whose words are mostly the same (this share of the smaller one's) are one error. */
const SAME_WORDS = 0.6;
/** A second error needs at least this share of its words in the message to be its own. */
const OWN_EVIDENCE = 0.5;

/**
 * Whether a strong candidate `b` rests on the evidence of a stronger one, `a` (one pasted error
 * with alternatives), rather than being a second error of the paste: the same code, fields of
 * mostly the same words, or words of `b` in the message that are mostly `a`'s words too
 * ("Cancellation isn't supported for this job type: Wait until the job finishes" holds another
 * entry's "…wait until the job finishes", and nothing else of it).
 */
function sameEvidence(a: Candidate, b: Candidate, tokens: readonly string[]): boolean {
  if (a.entry.id === b.entry.id) return true;
  if ((a.via !== 'text' || b.via !== 'text') && shareCode(a, b)) return true;
  if (!a.field || !b.field) return false;
  const [small, large] = a.field.words.size <= b.field.words.size ? [a.field.words, b.field.words] : [b.field.words, a.field.words];
  let shared = 0;
  for (const w of small) if (large.has(w)) shared += 1;
  if (shared / Math.max(1, small.size) >= SAME_WORDS) return true;
  // A code of its own is evidence of its own.
  if (b.via === 'code') return false;
  const found = new Set(tokens.filter((t) => b.field!.words.has(t) && !STOP_WORDS.has(t)));
  let own = 0;
  for (const t of found) if (!a.field.words.has(t)) own += 1;
  return own < OWN_EVIDENCE * found.size;
}

/** The hand-set rules' decision as the ranker reads it: which entries they would answer or offer. */
export function ruleOf(decision: Decision): RuleDecision {
  return { answer: new Set(decision.answer.map((c) => c.entry.id)), suggest: new Set(decision.suggest.map((c) => c.entry.id)) };
}
