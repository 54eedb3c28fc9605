import { beforeAll, describe, expect, it } from 'vitest';
import { LIMITS, renderSlack, toMrkdwn, type SlackMessage } from '../src/adapters/slack/blocks.ts';
import type { Answer, MatchView } from '../src/core/answer/model.ts';
import { sharedBot } from './helpers/bot.ts';

// The knowledge is loaded and the intents trained once per file, before any test's clock starts.
beforeAll(() => {
  sharedBot();
}, 60_000);

/** Slack rejects a message over these; every message we send must stay inside them. */
function expectWithinLimits(messages: SlackMessage[]): void {
  expect(messages.length).toBeGreaterThan(0);
  expect(messages.length).toBeLessThanOrEqual(LIMITS.messages);
  for (const m of messages) {
    expect(m.blocks.length).toBeLessThanOrEqual(50);
    expect(JSON.stringify(m.blocks).length).toBeLessThanOrEqual(13_000);
    expect(m.text.length).toBeGreaterThan(0);
    expect(m.text.length).toBeLessThanOrEqual(LIMITS.fallback);
    for (const b of m.blocks as { type: string; text?: { text: string } }[]) {
      if (b.type === 'section') expect(b.text!.text.length).toBeLessThanOrEqual(3000);
      if (b.type === 'header') expect(b.text!.text.length).toBeLessThanOrEqual(150);
    }
    expect(m.blocks.filter((b) => b.type === 'table').length).toBeLessThanOrEqual(1);
  }
}

function hugeAnswer(): Answer {
  const step = (i: number) => ({ text: `Step ${i}: ${'check the **scratch folder** and `C:\\Program Files` '.repeat(60)}`, substeps: [{ text: 'sub '.repeat(500), code: 'reg add HKLM\\x /v y\n'.repeat(300) }] });
  const match: MatchView = {
    id: 'mars/x',
    product: 'mars',
    kind: 'error',
    doc: 'backup-azure-mars-troubleshoot',
    anchor: 'x',
    codes: ['34506'],
    confidence: 0.95,
    title: 'T'.repeat(400),
    summary: 'S <&> '.repeat(1000),
    causes: Array.from({ length: 30 }, (_, i) => ({ cause: `Cause ${i} ${'c'.repeat(800)}`, actions: [step(i)] })),
    steps: Array.from({ length: 80 }, (_, i) => step(i)),
    focusCause: 0,
    notes: Array.from({ length: 20 }, () => 'n'.repeat(4000)),
    url: 'https://learn.microsoft.com/en-us/azure/backup/backup-azure-mars-troubleshoot#x',
  };
  return { language: 'en', intent: 'diagnose', lead: ['l'.repeat(5000)], matches: [match, match, match], suggestions: [], tail: ['t'.repeat(5000)], text: 'x'.repeat(50_000) };
}

describe('Slack rendering within the limits', () => {
  it('splits or trims an over-long answer so that Slack accepts every message, and points to the article', () => {
    const messages = renderSlack(hugeAnswer());
    expectWithinLimits(messages);
    const last = JSON.stringify(messages.at(-1)!.blocks);
    expect(last).toContain('This answer is long; the rest is in the article');
    expect(last).toContain('backup-azure-mars-troubleshoot#x');
    expect(last).toContain('bt_feedback_up');
  });

  it('keeps real answers, including a three-error paste, in one message within the limits', async () => {
    const answer = await sharedBot().handle({
      text: 'UserErrorFsFreezeFailed\nExtensionSnapshotBitlockerError\nError 34506',
      thread: 'blocks-multi',
      user: 'u',
    });
    expect(answer.matches).toHaveLength(3);
    const messages = renderSlack(answer);
    expectWithinLimits(messages);
    expect(messages).toHaveLength(1);
  });

  it('numbers the steps on across rich_text blocks when a list is split', () => {
    const long = hugeAnswer();
    const match = { ...long.matches[0]!, causes: [], focusCause: undefined, notes: [], summary: 'short', steps: Array.from({ length: 30 }, (_, i) => ({ text: `Step ${i + 1} ${'w'.repeat(400)}`, substeps: [] })) };
    const messages = renderSlack({ ...long, lead: [], tail: [], matches: [match] });
    expectWithinLimits(messages);
    const lists = messages.flatMap((m) => m.blocks).filter((b) => b.type === 'rich_text').flatMap((b) => (b as { elements: { type: string; style?: string; offset?: number }[] }).elements).filter((e) => e.type === 'rich_text_list' && e.style === 'ordered');
    const offsets = lists.map((l) => l.offset ?? 0);
    expect(lists.length).toBeGreaterThan(1);
    expect(offsets[0]).toBe(0);
    expect(offsets).toEqual([...offsets].sort((a, b) => a - b));
    expect(new Set(offsets).size).toBe(offsets.length);
  });

  it('turns our Markdown into Slack mrkdwn and escapes control characters', () => {
    expect(toMrkdwn('Run `a<b>` in **Tools** and see [the docs](https://learn.microsoft.com/x) & more')).toBe(
      'Run `a&lt;b&gt;` in *Tools* and see <https://learn.microsoft.com/x|the docs> &amp; more',
    );
  });
});
