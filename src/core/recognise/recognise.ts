import type { Entry, Language, Product } from '../knowledge/schema.ts';
import { LANGUAGES } from '../knowledge/terms.ts';
import { editDistance, stem, tokenize } from '../nlp/natural.ts';
import { findCodes } from './codes.ts';
import { ASKED_SLOTS, fieldWeight, nearWords, PREFIX, STOP_WORDS, type Field, type SearchIndex } from './index.ts';
import { dominantProduct } from './product.ts';

export interface Candidate {
  entry: Entry;
  /** 0..1: how sure we are that the message is about this entry. */
  score: number;
  /** What matched: a code, or the text of a field (and in which language). */
  via: 'code' | 'code-typo' | 'text' | 'question';
  language?: Language;
  field?: Field;
  /** For a text match: how many distinct stems of the field the message holds. */
  matched?: number;
}

export interface Recognition {
  candidates: Candidate[];
  /** The product the context words point at, if one stands out. */
  product?: Product;
  /** Tokens of the input that belong to a matched error text (not the user's own words). */
  pastedTokens: Set<string>;
  tokens: string[];
}

const CODE_SCORE = { labelled: 1, hex: 1, bare: 0.97, loose: 0.9, symbolic: 1, typo: 0.9, win32: 0.35 } as const;
/**
 * Windows errors wrapped as HRESULTs (0x8007…: file not found, access denied) turn up in every
 * product on Windows: alone they make a candidate, not an answer.
 */
const WIN32_HRESULT = /^0x8007[0-9a-f]{4}$/u;
const CONTEXT_BONUS = 0.05;
/** A title or question match in another product than the one the message names is unlikely. */
const OFF_PRODUCT = 0.1;
/** …and it is at most a candidate: a message that names one product is never answered with another
 * product's entry on its title's or questions' words alone. */
const OFF_PRODUCT_CAP = 0.54;
/** Code and text pointing at the same entry outrank either alone. */
const AGREEMENT = 0.05;
/** …when the text alone is close to an answer: a few shared words don't make two entries agree. */
const AGREEING_TEXT = 0.6;
/** A text match needs at least this many distinct stems of the field. */
const MIN_STEMS = 2;
const WITHOUT_KEY = 0.6;
/** A question's score: the share of its words in an entry's whole text, and its likeness to one of
 * the entry's `asked` questions. */
const BODY_SHARE = 0.7;
const ASKED_SHARE = 0.35;
/** A question's word that no entry uses (likely filler, possibly another topic) weighs as much as
 * this share of the rarest word's weight. */
const UNKNOWN_WORD = 1;
/** Longer messages are pastes, not questions. */
const QUESTION_WORDS = 30;
const FOREIGN_FACTOR = 0.5;
export const FOREIGN =
  /\b(?:aws|amazon|veeam|commvault|veritas|netbackup|acronis|rubrik|cohesity|arcserve|site recovery|asr|windows update|wsus|sccm|intune|exchange online|google cloud|gcp|vmware tools|hyper-v replica|azure files(?! and folders)(?: sync)?|azure file (?:shares?|sync)|azure devops|storage sync|vsscontrol|sql server agent job|oracle rman|datto|nakivo|hashicorp|backup exec|zerto|druva|carbonite|barracuda|unitrends|storagecraft|macrium|bacula|restic|duplicati|kasten|velero|pip|npm|docker|kubectl|terraform|ansible|helm|(?:test |planned )?failover)\b/iu;

/** Languages that write compounds as one word, which a translation may have split in two. */
const COMPOUNDING = ['nl', 'sv'] as const;
/** The most distinct words of one message that are stemmed and matched: this bounds the work. */
const MAX_DISTINCT_WORDS = 250;

/**
 * The distinct words of a message to match, at most MAX_DISTINCT_WORDS: first those that begin as
 * some stem of the index does (they can match exactly), then the rest (they can match with a typo).
 */
function wordsToMatch(index: SearchIndex, tokens: string[]): string[] {
  const distinct = [...new Set(tokens)];
  if (distinct.length <= MAX_DISTINCT_WORDS) return distinct;
  const known = distinct.filter((t) => index.prefixes.has(t.slice(0, PREFIX)));
  const rest = distinct.filter((t) => !index.prefixes.has(t.slice(0, PREFIX)));
  return [...known, ...rest].slice(0, MAX_DISTINCT_WORDS);
}

/** Scores every entry against a cleaned message; the best first. */
export function recognise(index: SearchIndex, text: string): Recognition {
  // A token longer than anything in the index (one typo allowed) can match nothing: it is left out
  // before any stemming or fuzzy look-up, which would cost time in proportion to its square.
  const tokens = tokenize(text).filter((t) => t.length <= index.longest + 1);
  const best = new Map<string, Candidate>();
  // Per entry: the best code evidence and the best text evidence; both agreeing ranks higher.
  const byCode = new Map<string, Candidate>();
  const byText = new Map<string, Candidate>();
  const offer = (c: Candidate) => {
    const map = c.via === 'text' || c.via === 'question' ? byText : byCode;
    const prev = map.get(c.entry.id);
    if (!prev || c.score > prev.score) map.set(c.entry.id, c);
  };

  // 1. Codes: numeric and hex ones by pattern, symbolic ones as words (one typo allowed).
  // Another vendor's product named in the message: its codes are not ours, and a text-only match
  // is unlikely to be ours.
  const otherVendor = FOREIGN.test(text);
  for (const found of findCodes(text, index.numericCodes, { foreign: otherVendor })) {
    for (const entry of index.codes.get(found.code) ?? []) {
      offer({
        entry,
        score: WIN32_HRESULT.test(found.code) ? CODE_SCORE.win32 : found.how === 'labelled' || found.how === 'hex' ? CODE_SCORE.labelled : CODE_SCORE[found.how],
        via: 'code',
        ...(found.language ? { language: found.language } : {}),
      });
    }
  }
  for (const token of new Set(tokens)) {
    // Hex codes are found by their pattern above (with their weight); here only symbolic ones.
    if (token.length < 8 || !/[a-z]/u.test(token) || /^0x[0-9a-f]+$/u.test(token)) continue;
    const exact = index.codes.get(token);
    if (exact) {
      for (const entry of exact) offer({ entry, score: CODE_SCORE.symbolic, via: 'code' });
      continue;
    }
    for (const near of nearWords(index.codeDeletions, token)) {
      if (editDistance(token, near) !== 1) continue;
      for (const entry of index.codes.get(near) ?? []) offer({ entry, score: CODE_SCORE.typo, via: 'code-typo' });
    }
  }

  // 2. Text: the share of each field's weighted stems that the message holds.
  const queryStems = new Set<string>();
  // Compounds that a translation split in two ("lagrings poolen") count as the word they make.
  // Each distinct word and each distinct pair of neighbours is looked at once.
  const pairs = new Set<string>();
  for (const [i, token] of tokens.entries()) {
    const next = tokens[i + 1];
    if (pairs.size >= MAX_DISTINCT_WORDS) break;
    // A compound's stem begins as the compound does: a pair whose start no stem has is skipped.
    if (next && token.length + next.length >= 8 && index.prefixes.has((token + next).slice(0, PREFIX))) pairs.add(token + next);
  }
  const unknown = new Map<string, Language>();
  for (const token of wordsToMatch(index, tokens)) {
    for (const language of LANGUAGES) {
      const s = stem(token, language);
      if (index.idf.has(s)) queryStems.add(s);
      else if (s.length >= 5) unknown.set(s, language);
    }
  }
  // One typo, within the language that stemmed the word: English "install" is not Dutch "instel".
  for (const [s, language] of unknown) {
    for (const near of nearWords(index.deletions, s)) if (index.stemLanguages.get(near)?.has(language) && editDistance(s, near) === 1) queryStems.add(near);
  }
  for (const pair of pairs) {
    for (const language of COMPOUNDING) {
      const compound = stem(pair, language);
      if (index.idf.has(compound)) queryStems.add(compound);
    }
  }
  const foreign = otherVendor ? FOREIGN_FACTOR : 1;
  const pastedTokens = new Set<string>();
  // Only the fields that hold one of the message's stems (the inverted index) are scored.
  // Accumulated in arrays over all fields; `touched` keeps the order in which fields were first hit.
  const hit = new Float64Array(index.fields.length);
  const hitStems = new Uint16Array(index.fields.length);
  const touched: number[] = [];
  for (const s of queryStems) {
    const weight = index.idf.get(s) ?? 0;
    for (const f of index.fieldPostings.get(s) ?? []) {
      if (hitStems[f] === 0) touched.push(f);
      hit[f] = hit[f]! + weight;
      hitStems[f] = hitStems[f]! + 1;
    }
  }
  for (const f of touched) {
    const field = index.fields[f]!;
    const stems = hitStems[f]!;
    if (stems < MIN_STEMS) continue;
    const coverage = Math.min(1, hit[f]! / field.weight);
    // Without its most telling word, a field matched on generic words only ("backup failed").
    const keyed = coverage >= 0.8 || queryStems.has(field.key) ? 1 : WITHOUT_KEY;
    const score = coverage * keyed * fieldWeight(field.kind) * foreign;
    offer({ entry: field.entry, score, via: 'text', language: field.language, field, matched: stems });
  }

  // 3. Questions: how much of the message's own words an entry's whole text holds, and how close
  // the message comes to one of the ways admins ask about the entry (its `asked` questions).
  const words = [...new Set(tokens.filter((t) => !STOP_WORDS.has(t) && !/^\d+$/u.test(t)))];
  if (byCode.size === 0 && words.length >= 2 && words.length <= QUESTION_WORDS) {
    const unknown = UNKNOWN_WORD * Math.log(1 + index.entries.size);
    const variants = words.map((w) => {
      const known = [...new Set(LANGUAGES.map((l) => stem(w, l)))].filter((st) => index.bodyIdf.has(st));
      const weight = known.length ? Math.max(...known.map((st) => index.bodyIdf.get(st) ?? 0)) : unknown;
      return { stems: known, weight };
    });
    const total = variants.reduce((sum, v) => sum + v.weight, 0);
    // Per body: the weight of the message's words it holds; per asked question: the same.
    // A word counts once per body (and per question) however many of its stems it holds:
    // `foundSeen` and `sharedSeen` mark the word that last added to a slot. `order` and
    // `askedOrder` keep the order in which slots were first hit.
    const bodies = index.bodies.length;
    const found = new Float64Array(bodies);
    const foundSeen = new Uint16Array(bodies);
    const shared = new Float64Array(bodies * ASKED_SLOTS);
    const sharedSeen = new Uint16Array(bodies * ASKED_SLOTS);
    const order: number[] = [];
    const askedOrder: number[] = [];
    variants.forEach((v, i) => {
      const mark = i + 1;
      for (const st of v.stems) {
        for (const b of index.bodyPostings.get(st) ?? []) {
          if (foundSeen[b] === mark) continue;
          if (foundSeen[b] === 0) order.push(b);
          foundSeen[b] = mark;
          found[b] = found[b]! + v.weight;
        }
        for (const q of index.askedPostings.get(st) ?? []) {
          if (sharedSeen[q] === mark) continue;
          if (sharedSeen[q] === 0) askedOrder.push(q);
          sharedSeen[q] = mark;
          shared[q] = shared[q]! + v.weight;
        }
      }
    });
    const closest = new Float64Array(bodies);
    for (const slot of askedOrder) {
      const b = Math.floor(slot / ASKED_SLOTS);
      const question = index.bodies[b]!.asked[slot % ASKED_SLOTS]!;
      closest[b] = Math.max(closest[b]!, (2 * shared[slot]!) / (total + question.weight));
    }
    for (const b of order) {
      const body = index.bodies[b]!;
      const score = (BODY_SHARE * (found[b]! / total) + ASKED_SHARE * closest[b]!) * foreign;
      if (score >= 0.3) offer({ entry: body.entry, score, via: 'question', language: body.language });
    }
  }

  // 4. Context: words that place the message in one product lift that product's entries a little,
  // enough to decide between near-equal candidates (an error that exists in two articles).
  // Scores may pass 1 here; the answer reports min(1, score) as the confidence.
  for (const [id, code] of byCode) {
    const textual = byText.get(id);
    best.set(id, textual ? { ...textual, ...code, score: Math.max(code.score, textual.score) + (textual.score >= AGREEING_TEXT ? AGREEMENT : 0), language: textual.score >= 0.5 ? textual.language : code.language } : code);
  }
  for (const [id, textual] of byText) if (!best.has(id)) best.set(id, textual);
  const product = dominantProduct(text);
  const candidates = [...best.values()].map((c) =>
    !product ? c
    : c.entry.product === product ? { ...c, score: c.score + CONTEXT_BONUS }
    : c.via === 'question' || (c.via === 'text' && c.field?.kind !== 'message') ? { ...c, score: Math.min(c.score - OFF_PRODUCT, OFF_PRODUCT_CAP) }
    : c,
  );
  candidates.sort((a, b) => b.score - a.score || a.entry.id.localeCompare(b.entry.id));

  for (const c of candidates.slice(0, 3)) {
    if (c.field?.kind === 'message' && c.score >= 0.6) for (const w of c.field.words) pastedTokens.add(w);
  }
  return { candidates, product, pastedTokens, tokens };
}
