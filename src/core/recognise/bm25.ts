import type { Entry, Language } from '../knowledge/schema.ts';
import { actionWords } from '../knowledge/words.ts';
import { LANGUAGES } from '../knowledge/terms.ts';
import { stem, tokenize } from '../nlp/natural.ts';
import { STOP_WORDS } from './index.ts';

/**
 * Field-weighted BM25 (BM25F) over every entry's text in all three languages: its messages,
 * title, codes split into words, asked questions, causes, steps and the identifiers in them
 * (registry values, files, services). An inverted index maps each stem to the entries and fields
 * that hold it, so a message costs what its own words cost.
 */
export type FieldKind = 'message' | 'title' | 'code' | 'asked' | 'cause' | 'step' | 'identifier';

const WEIGHT: Record<FieldKind, number> = { message: 3, title: 2.5, code: 2.5, asked: 1.5, identifier: 1.5, cause: 1, step: 0.6 };
const K1 = 1.2;
const MAX_QUERY_WORDS = 250;
const B = 0.75;

interface Posting {
  doc: number;
  /** Term frequency per field kind, already weighted and length-normalised. */
  tf: number;
}

export interface Bm25Index {
  entries: Entry[];
  postings: Map<string, Posting[]>;
  idf: Map<string, number>;
}

export interface Bm25Hit {
  entry: Entry;
  score: number;
}

/** "UserErrorFsFreezeFailed" → "User Error Fs Freeze Failed": a code as the words it is made of. */
export function codeWords(code: string): string {
  return code.replace(/(?<=[a-z0-9])(?=[A-Z])/gu, ' ').replace(/(?<=[A-Z])(?=[A-Z][a-z])/gu, ' ');
}

/** Backticked spans and code: registry keys and values, files, services, commands. */
function identifiers(text: string): string {
  return [...text.matchAll(/`([^`]+)`/gu)].map((m) => codeWords(m[1]!)).join(' ');
}

/** The stems of a text, as one language stems them, stop words left out. */
function stems(text: string, language: Language): string[] {
  return tokenize(text)
    .filter((t) => !STOP_WORDS.has(t) && t.length <= 40)
    .map((t) => stem(t, language));
}

function fieldsOf(entry: Entry): [FieldKind, Language, string][] {
  const out: [FieldKind, Language, string][] = [];
  for (const language of LANGUAGES) {
    const t = entry.locales[language];
    for (const m of t.messages ?? []) out.push(['message', language, m]);
    out.push(['title', language, t.title]);
    for (const q of t.asked ?? []) out.push(['asked', language, q]);
    const actions = [...(t.causes ?? []).flatMap((c) => c.actions), ...(t.steps ?? [])];
    for (const c of t.causes ?? []) out.push(['cause', language, `${c.cause} ${c.detail ?? ''}`]);
    for (const a of actions) out.push(['step', language, actionWords(a)]);
    const ids = actions.map((a) => identifiers(actionWords(a))).join(' ');
    if (ids.trim()) out.push(['identifier', language, ids]);
  }
  out.push(['code', 'en', entry.codes.map(codeWords).join(' ')]);
  return out;
}

export function buildBm25(entries: readonly Entry[]): Bm25Index {
  // Term counts per document and field kind, and field lengths for normalisation.
  const counts: Map<string, Map<FieldKind, number>>[] = [];
  const lengths: Map<FieldKind, number>[] = [];
  for (const entry of entries) {
    const terms = new Map<string, Map<FieldKind, number>>();
    const length = new Map<FieldKind, number>();
    for (const [kind, language, text] of fieldsOf(entry)) {
      const list = stems(text, language);
      length.set(kind, (length.get(kind) ?? 0) + list.length);
      for (const s of list) {
        const byKind = terms.get(s) ?? new Map<FieldKind, number>();
        byKind.set(kind, (byKind.get(kind) ?? 0) + 1);
        terms.set(s, byKind);
      }
    }
    counts.push(terms);
    lengths.push(length);
  }
  const kinds = Object.keys(WEIGHT) as FieldKind[];
  const average = new Map(kinds.map((k) => [k, Math.max(1, lengths.reduce((sum, l) => sum + (l.get(k) ?? 0), 0) / Math.max(1, entries.length))]));
  const postings = new Map<string, Posting[]>();
  counts.forEach((terms, doc) => {
    for (const [term, byKind] of terms) {
      let tf = 0;
      for (const [kind, n] of byKind) tf += (WEIGHT[kind] * n) / (1 - B + (B * (lengths[doc]!.get(kind) ?? 0)) / average.get(kind)!);
      const list = postings.get(term) ?? [];
      list.push({ doc, tf });
      postings.set(term, list);
    }
  });
  const idf = new Map<string, number>();
  for (const [term, list] of postings) idf.set(term, Math.log(1 + (entries.length - list.length + 0.5) / (list.length + 0.5)));
  return { entries: [...entries], postings, idf };
}

/**
 * The distinct stems of a message in all three languages, stop words left out; a code pasted as
 * one word also counts as the words it is made of. The work is bounded as the engine's own
 * matching is: at most this many distinct words.
 */
export function messageStems(text: string): Set<string> {
  const query = new Set<string>();
  let distinct = 0;
  for (const token of new Set([...tokenize(text), ...tokenize(codeWords(text))])) {
    if (STOP_WORDS.has(token) || token.length > 40) continue;
    if ((distinct += 1) > MAX_QUERY_WORDS) break;
    for (const language of LANGUAGES) query.add(stem(token, language));
  }
  return query;
}

/** The entries best matching a text, best first, with their BM25F scores. */
export function searchBm25(index: Bm25Index, text: string, limit = 10, query: Set<string> = messageStems(text)): Bm25Hit[] {
  const scores = new Float64Array(index.entries.length);
  const hit = new Uint8Array(index.entries.length);
  const docs: number[] = [];
  for (const term of query) {
    const list = index.postings.get(term);
    if (!list) continue;
    const idf = index.idf.get(term) ?? 0;
    for (const { doc, tf } of list) {
      if (hit[doc] === 0) docs.push(doc);
      hit[doc] = 1;
      scores[doc] = scores[doc]! + (idf * tf) / (K1 + tf);
    }
  }
  return docs
    .sort((a, b) => scores[b]! - scores[a]! || a - b)
    .slice(0, limit)
    .map((doc) => ({ entry: index.entries[doc]!, score: scores[doc]! }));
}
