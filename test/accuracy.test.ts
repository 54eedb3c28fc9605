import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { heldOutItems, readWriters, TEST_WRITERS, type CorpusItem, type TestWriter } from '../scripts/training-data.ts';
import { sharedBot } from './helpers/bot.ts';

// Accuracy floors on messages that were never trained or tuned on: the corpus writers the model
// never saw (w6 with its share of the negatives, w15 and w28 with their own), and the project's own held-out
// set. They check accuracy, not time. The floors sit a little below what the shipped model scores
// (README).
const FLOORS: Record<TestWriter | 'heldout', { top1: number; wrong: number }> = {
  w6: { top1: 0.9, wrong: 0.025 },
  w15: { top1: 0.93, wrong: 0.025 },
  w28: { top1: 0.94, wrong: 0.015 },
  heldout: { top1: 0.94, wrong: 0.03 },
};

beforeAll(() => {
  sharedBot();
}, 60_000);

/** Right: a positive answered with its entry (an ambiguous one may be offered), a negative left alone. */
async function score(items: CorpusItem[], name: string): Promise<{ top1: number; wrong: number }> {
  let right = 0;
  let wrong = 0;
  for (const [i, item] of items.entries()) {
    const answer = await sharedBot().handle({ text: item.text, thread: `accuracy-${name}-${i}`, user: 'u', ...(item.locale ? { locale: item.locale } : {}) });
    const matches = answer.matches.map((m) => m.id);
    const offered = new Set([...matches, ...answer.suggestions.map((s) => s.id)]);
    if (matches.some((id) => !item.expect.includes(id))) wrong += 1;
    if (item.expect.length === 0) {
      if (offered.size === 0) right += 1;
    } else if (item.tags.includes('ambiguous') ? item.expect.every((id) => offered.has(id)) : item.expect.every((id) => matches.includes(id))) {
      right += 1;
    }
  }
  return { top1: right / items.length, wrong: wrong / items.length };
}

describe('recognition on messages it was never trained or tuned on', () => {
  it.each(TEST_WRITERS)('the held-out corpus writer %s and its negatives', async (name) => {
    const items = heldOutItems(readWriters(), name);
    expect(items.length).toBeGreaterThan(400);
    const r = await score(items, name);
    expect(r.top1).toBeGreaterThanOrEqual(FLOORS[name].top1);
    expect(r.wrong).toBeLessThanOrEqual(FLOORS[name].wrong);
  }, 60_000);

  it("the project's held-out set", async () => {
    const items = (parse(readFileSync(new URL('../bench/fixtures/heldout.yaml', import.meta.url), 'utf8')) as CorpusItem[]).map((x) => ({ ...x, tags: x.tags ?? [] }));
    const r = await score(items, 'heldout');
    expect(r.top1).toBeGreaterThanOrEqual(FLOORS.heldout.top1);
    expect(r.wrong).toBeLessThanOrEqual(FLOORS.heldout.wrong);
  }, 60_000);
});
