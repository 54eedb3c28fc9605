import { readdirSync, readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { z } from 'zod';
import type { Block } from '../src/core/answer/model.ts';
import { sharedBot, type Seen } from './helpers/bot.ts';

// The knowledge is loaded and the intents trained once per file, before any test's clock starts.
beforeAll(() => {
  sharedBot();
}, 60_000);

const Expect = z.strictObject({
  kind: z.string().optional(),
  language: z.enum(['en', 'nl', 'sv']).optional(),
  /** The entry ids the answer is about, in order. */
  matches: z.array(z.string()).optional(),
  /** The focus of the first match: the cause and step (1-based, as users count). */
  focus: z.strictObject({ cause: z.number().optional(), step: z.number().optional(), note: z.number().optional() }).optional(),
  suggestions: z.array(z.string()).optional(),
  /** Texts the user reads in the answer, each in full. */
  shows: z.array(z.string()).optional(),
  hides: z.array(z.string()).optional(),
  /** The cause table's marks (1-based): the cause whose steps show, and the tried ones. */
  table: z.strictObject({ current: z.number().nullable(), tried: z.array(z.number()) }).optional(),
  /** Labels of the buttons under the answer (all of them, in order). */
  buttons: z.array(z.string()).optional(),
});

const Turn = z.union([
  z.strictObject({ say: z.string(), locale: z.string().optional(), expect: Expect }),
  /** A click on a button of an earlier answer: `answer` counts the conversation's answers from 1. */
  z.strictObject({ click: z.strictObject({ answer: z.number().int().min(1), button: z.string() }), expect: Expect }),
]);

const Dialogue = z.strictObject({
  name: z.string(),
  locale: z.string().optional(),
  turns: z.array(Turn).min(1),
});
type Dialogue = z.infer<typeof Dialogue>;

const dir = new URL('./fixtures/dialogues/', import.meta.url);
const dialogues = readdirSync(dir)
  .filter((f) => f.endsWith('.yaml'))
  .sort()
  .map((file) => ({ file, dialogue: Dialogue.parse(parse(readFileSync(new URL(file, dir), 'utf8'))) }));

function check(answer: Seen, e: z.infer<typeof Expect>, where: string): void {
  const m = `${where}\n--- answer ---\n${answer.text}\n`;
  if (e.kind) expect(answer.kind, m).toBe(e.kind);
  if (e.language) expect(answer.language, m).toBe(e.language);
  if (e.matches) expect(answer.matches.map((x) => x.id), m).toEqual(e.matches);
  if (e.focus) {
    const f = answer.matches[0]?.focus;
    expect({ cause: f?.cause === undefined ? undefined : f.cause + 1, step: f?.step, note: f?.note }, m).toEqual({ cause: e.focus.cause, step: e.focus.step, note: e.focus.note });
  }
  if (e.suggestions) expect(answer.suggestions.map((x) => x.id), m).toEqual(e.suggestions);
  for (const text of e.shows ?? []) expect(answer.text, m).toContain(text);
  for (const text of e.hides ?? []) expect(answer.text, m).not.toContain(text);
  if (e.table) {
    const table = answer.blocks.find((b): b is Extract<Block, { type: 'causes' }> => b.type === 'causes');
    expect(table, m).toBeDefined();
    const current = table!.rows.find((r) => r.state === 'current')?.n ?? null;
    const tried = table!.rows.filter((r) => r.state === 'tried').map((r) => r.n);
    expect({ current, tried }, m).toEqual(e.table);
  }
  if (e.buttons) expect(answer.buttons.map((b) => b.label), m).toEqual(e.buttons);
}

async function run({ file, dialogue }: { file: string; dialogue: Dialogue }): Promise<void> {
  const bot = sharedBot();
  const thread = `dialogue:${file}`;
  const answers: Seen[] = [];
  for (const [i, turn] of dialogue.turns.entries()) {
    let answer: Seen;
    let where: string;
    if ('say' in turn) {
      const locale = turn.locale ?? dialogue.locale;
      where = `${file}, turn ${i + 1}: "${turn.say}"`;
      answer = await bot.handle({ text: turn.say, thread, user: 'admin', ...(locale ? { locale } : {}) });
    } else {
      where = `${file}, turn ${i + 1}: click "${turn.click.button}" on answer ${turn.click.answer}`;
      const under = answers[turn.click.answer - 1];
      const button = under?.buttons.find((b) => b.label === turn.click.button || b.label.startsWith(turn.click.button));
      expect(button, `${where}: no such button (${under?.buttons.map((b) => b.label).join(' | ')})`).toBeDefined();
      answer = await bot.handle({ text: '', thread, user: 'admin', action: button!.action });
    }
    check(answer, turn.expect, where);
    answers.push(answer);
  }
}

describe('conversations in a thread', () => {
  it.each(dialogues.map((d) => [d.dialogue.name, d] as const))('%s', async (_name, d) => {
    await run(d);
  });
});
