/**
 * The recognition benchmark: top-1 accuracy, rejection of messages that must not match, reply
 * language and time per message, next to a BM25 full-text search over the same knowledge.
 * Run with `npm run bench`; it is not part of the tests.
 */
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import MiniSearch from 'minisearch';
import { parse } from 'yaml';
import { createBot, KNOWLEDGE_DIR } from '../src/compose.ts';
import type { Answer } from '../src/core/answer/model.ts';
import { loadKnowledgeBase } from '../src/core/knowledge/load.ts';
import { LANGUAGES } from '../src/core/knowledge/schema.ts';

interface Item {
  text: string;
  expect: string[];
  lang: string;
  tags: string[];
  locale?: string;
}

const items = parse(readFileSync(new URL('./fixtures/labelled.yaml', import.meta.url), 'utf8')) as Item[];
const verbose = process.argv.includes('--verbose');

function correct(item: Item, matches: string[], suggestions: string[]): boolean {
  if (item.expect.length === 0) return matches.length === 0 && suggestions.length === 0;
  if (item.tags.includes('ambiguous')) {
    const offered = new Set([...matches, ...suggestions]);
    return item.expect.every((id) => offered.has(id));
  }
  if (item.expect.length > 1) return item.expect.every((id) => matches.includes(id)) && matches.length === item.expect.length;
  return matches[0] === item.expect[0];
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

// --- backup-triage ---------------------------------------------------------------------------
const bot = createBot();
for (const item of items.slice(0, 20)) await bot.handle({ text: item.text, thread: 'warm-up', user: 'bench' });

const times: number[] = [];
let right = 0;
let langRight = 0;
let negatives = 0;
let rejected = 0;
const failures: string[] = [];
for (const [i, item] of items.entries()) {
  const start = performance.now();
  const answer: Answer = await bot.handle({ text: item.text, thread: `bench-${i}`, user: 'bench', ...(item.locale ? { locale: item.locale } : {}) });
  times.push(performance.now() - start);
  const matches = answer.matches.map((m) => m.id);
  const suggestions = answer.suggestions.map((s) => s.id);
  const ok = correct(item, matches, suggestions);
  if (ok) right += 1;
  if (answer.language === item.lang) langRight += 1;
  if (item.expect.length === 0) {
    negatives += 1;
    if (ok) rejected += 1;
  }
  if (!ok || answer.language !== item.lang) {
    failures.push(
      `${ok ? 'LANG ' : 'MISS '} want ${JSON.stringify(item.expect)} ${item.lang} | got ${JSON.stringify(matches)} ${suggestions.length ? `~${JSON.stringify(suggestions)}` : ''} ${answer.language} | ${item.text.replace(/\s+/gu, ' ').slice(0, 110)}`,
    );
  }
}
times.sort((a, b) => a - b);

// --- baseline: BM25 full-text search over the same knowledge (what a user would reach for) ------
const entries = loadKnowledgeBase(KNOWLEDGE_DIR).entries;
const search = new MiniSearch<{ id: string; text: string }>({ fields: ['text'], storeFields: ['id'] });
search.addAll(
  entries.map((e) => ({
    id: e.id,
    text: [e.codes.join(' '), ...LANGUAGES.flatMap((l) => [e.locales[l].title, ...(e.locales[l].messages ?? []), e.locales[l].summary ?? ''])].join('\n'),
  })),
);
let baseRight = 0;
let baseRejected = 0;
for (const item of items) {
  const hits = search.search(item.text, { fuzzy: 0.1, prefix: false });
  const top = hits[0]?.id as string | undefined;
  const matches = top ? [top] : [];
  if (item.tags.includes('ambiguous')) {
    if (top && item.expect.includes(top)) baseRight += 1;
  } else if (correct(item, item.expect.length > 1 ? hits.slice(0, item.expect.length).map((h) => h.id as string) : matches, [])) {
    baseRight += 1;
  }
  if (item.expect.length === 0 && !top) baseRejected += 1;
}

const n = items.length;
const pct = (a: number, b: number) => `${((100 * a) / b).toFixed(1)}%`;
const rows = [
  ['', 'backup-triage', 'BM25 search (minisearch)'],
  ['messages', String(n), String(n)],
  ['top-1 accuracy', pct(right, n), pct(baseRight, n)],
  ['errors', String(n - right), String(n - baseRight)],
  [`non-matching rejected (of ${negatives})`, pct(rejected, negatives), pct(baseRejected, negatives)],
  ['reply language', pct(langRight, n), 'n/a'],
  ['p50 per message', `${percentile(times, 50).toFixed(2)} ms`, ''],
  ['p99 per message', `${percentile(times, 99).toFixed(2)} ms`, ''],
];
const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
for (const [r, row] of rows.entries()) {
  process.stdout.write(`| ${row.map((cell, c) => cell.padEnd(widths[c]!)).join(' | ')} |\n`);
  if (r === 0) process.stdout.write(`| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |\n`);
}
if (verbose) for (const f of failures) process.stdout.write(`${f}\n`);
