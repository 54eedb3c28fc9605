/**
 * The thread benchmark: follow-ups in a thread that holds an answer, written by two writers who
 * never saw the engine. Each item is played in a thread of its own whose answer is about `entry`
 * (set with the answer's own language button, so that recognition plays no part), then the
 * follow-up is sent and its answer checked. Run with `npm run bench`; it is not part of the tests.
 */
import { existsSync, readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { parse } from 'yaml';
import { z } from 'zod';
import { createBot } from '../src/compose.ts';
import type { Answer } from '../src/core/answer/model.ts';
import { LANGUAGES } from '../src/core/knowledge/schema.ts';

const Passage = z.strictObject({ cause: z.number().int().min(1).optional(), step: z.number().int().min(1).optional(), note: z.number().int().min(1).optional() });
const Item = z.strictObject({
  entry: z.string(),
  language: z.enum(LANGUAGES),
  followup: z.string(),
  expect: z.union([
    z.strictObject({ kind: z.literal('question'), accept: z.array(Passage) }),
    z.strictObject({ kind: z.literal('not_resolved'), next_cause: z.number().int().min(1) }),
    z.strictObject({ kind: z.literal('diagnose'), entry: z.string() }),
  ]),
});
type Item = z.infer<typeof Item>;

const SETS = [
  { name: 'tuning (writer A)', file: 'thread-a.yaml' },
  { name: 'held-out (writer B)', file: 'thread-b.yaml' },
] as const;
const verbose = process.argv.includes('--verbose');
/** `--tuning`: the tuning set only, for work on routing; the held-out set is for the final figure. */
const tuningOnly = process.argv.includes('--tuning');

/** The kind of expectation, as the table groups them. */
function group(item: Item): string {
  if (item.expect.kind === 'question') return item.expect.accept.length ? 'question about the answer' : 'question it does not cover';
  return item.expect.kind === 'not_resolved' ? 'what was tried' : 'another error';
}

function right(item: Item, answer: Answer): boolean {
  const e = item.expect;
  const focus = answer.matches[0]?.focus ?? {};
  if (e.kind === 'diagnose') return answer.matches[0]?.id === e.entry;
  if (e.kind === 'not_resolved') return answer.kind === 'not_resolved' && focus.cause === e.next_cause - 1;
  if (answer.kind !== 'question' || answer.matches[0]?.id !== item.entry) return false;
  if (e.accept.length === 0) return focus.cause === undefined && focus.step === undefined && focus.note === undefined;
  return e.accept.some((p) => {
    if (p.note !== undefined) return focus.note === p.note;
    if (p.cause !== undefined && focus.cause !== p.cause - 1) return false;
    if (p.cause === undefined && focus.cause !== undefined) return false;
    return p.step === undefined || focus.step === p.step;
  });
}

const groups = ['question about the answer', 'what was tried', 'question it does not cover', 'another error'];

/** Plays both sets; returns the table (Markdown lines) and the figures per set. */
export async function threadBench(options: { tuningOnly?: boolean; verbose?: boolean } = {}): Promise<{ lines: string[]; sets: Record<string, Record<string, number>> }> {
  const bot = createBot();
  const rows: string[][] = [];
  const sets: Record<string, Record<string, number>> = {};
  for (const set of options.tuningOnly ? SETS.slice(0, 1) : SETS) {
    const path = new URL(`./fixtures/${set.file}`, import.meta.url);
    if (!existsSync(path)) continue;
    const items = z.array(Item).parse(parse(readFileSync(path, 'utf8')));
    const score = new Map<string, { n: number; ok: number }>();
    const add = (key: string, ok: boolean) => {
      const s = score.get(key) ?? { n: 0, ok: 0 };
      s.n += 1;
      if (ok) s.ok += 1;
      score.set(key, s);
    };
    for (const [i, item] of items.entries()) {
      const thread = `${set.file}-${i}`;
      await bot.handle({ text: '', thread, user: 'bench', action: { type: 'language', language: item.language, to: item.language, entries: [item.entry], cause: 0 } });
      const answer = await bot.handle({ text: item.followup, thread, user: 'bench' });
      const ok = right(item, answer);
      for (const key of ['all', item.language, group(item)]) add(key, ok);
      if (options.verbose && !ok) {
        const m = answer.matches[0];
        console.log(`MISS ${set.file} ${item.language} ${item.entry} want ${JSON.stringify(item.expect)} got ${answer.kind} ${m?.id ?? '-'} ${JSON.stringify(m?.focus ?? {})} | ${item.followup}`);
      }
    }
    const share = (key: string) => {
      const s = score.get(key);
      return s ? s.ok / s.n : Number.NaN;
    };
    const pct = (key: string) => {
      const s = score.get(key);
      return s ? `${((100 * s.ok) / s.n).toFixed(1)}% of ${s.n}` : 'n/a';
    };
    rows.push([set.name, pct('all'), ...LANGUAGES.map(pct), ...groups.map(pct)]);
    sets[set.file.replace(/\.yaml$/u, '')] = Object.fromEntries(['all', ...LANGUAGES].map((k) => [k, Math.round(share(k) * 1000) / 1000]));
  }
  const header = ['follow-ups in a thread', 'all', ...LANGUAGES, ...groups];
  const lines = [`| ${header.join(' | ')} |`, `| ${header.map(() => '---').join(' | ')} |`, ...rows.map((row) => `| ${row.join(' | ')} |`)];
  return { lines, sets };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { lines } = await threadBench({ tuningOnly, verbose });
  console.log(lines.join('\n'));
}
