import type { KnownBlock } from '@slack/types';
import { beforeAll, describe, expect, it } from 'vitest';
import { actionOf, LIMITS, mrkdwn, renderSlack, spendButton, type SlackMessage } from '../src/adapters/slack/blocks.ts';
import type { Answer, Block, StepItem } from '../src/core/answer/model.ts';
import { rich } from '../src/core/answer/rich.ts';
import { sharedBot } from './helpers/bot.ts';

// The knowledge is loaded and the intents trained once per file, before any test's clock starts.
beforeAll(() => {
  sharedBot();
}, 60_000);

const VAULT = 'Invalid vault credentials provided. The file is either corrupted or does not have the latest credentials associated with recovery service. (ID: 34513)';
const URL_X = 'https://learn.microsoft.com/en-us/azure/backup/backup-azure-mars-troubleshoot#x';

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

const step = (i: number): StepItem => ({
  text: rich(`Step ${i}: ${'check the **scratch folder** and `C:\\Program Files` '.repeat(60)}`),
  substeps: [{ text: rich('sub '.repeat(500)), code: 'reg add HKLM\\x /v y\n'.repeat(300) }],
});

function hugeAnswer(): Answer {
  const entry: Block[] = [
    { type: 'heading', level: 1, text: rich('T'.repeat(400)) },
    { type: 'meta', items: ['Error', 'MARS agent'], codes: ['34506'] },
    { type: 'paragraph', text: rich('S <&> '.repeat(1000)) },
    { type: 'causes', columns: ['Cause', 'What to do'], marks: { current: 'steps below', tried: 'tried' }, rows: Array.from({ length: 30 }, (_, i) => ({ n: i + 1, cause: rich(`Cause ${i} ${'c'.repeat(800)}`), fix: step(i) })) },
    { type: 'steps', start: 1, items: Array.from({ length: 80 }, (_, i) => step(i)) },
    ...Array.from({ length: 20 }, (): Block => ({ type: 'note', label: 'Note', text: rich('n'.repeat(4000)) })),
    { type: 'link', label: 'Article', url: URL_X },
  ];
  return {
    language: 'en',
    kind: 'diagnose',
    matches: [],
    suggestions: [],
    blocks: [{ type: 'notice', text: rich('l'.repeat(5000)) }, ...entry, { type: 'divider' }, ...entry, { type: 'divider' }, ...entry],
    buttons: [
      { label: '👍 This helped', group: 'feedback', action: { type: 'feedback', language: 'en', entries: ['mars/x'], value: 'up' } },
      { label: "👎 This didn't help", group: 'feedback', action: { type: 'feedback', language: 'en', entries: ['mars/x'], value: 'down' } },
    ],
    silent: false,
    sure: true,
  };
}

type Rich = { type: string; style?: string; offset?: number; elements?: Rich[]; text?: string };
const richElements = (messages: SlackMessage[]): Rich[] =>
  messages.flatMap((m) => m.blocks).filter((b) => b.type === 'rich_text').flatMap((b) => (b as unknown as { elements: Rich[] }).elements);

describe('Slack rendering within the limits', () => {
  it('splits or trims an answer past Slack\'s limits so that every message is accepted, and points to the article', () => {
    const messages = renderSlack(hugeAnswer());
    expectWithinLimits(messages);
    const last = JSON.stringify(messages.at(-1)!.blocks);
    expect(last).toContain('This answer is long; the rest is in the article');
    expect(last).toContain('backup-azure-mars-troubleshoot#x');
    expect(last).toContain('bt1|up|en|mars/x');
  });

  it('keeps a real three-error paste in one message within the limits', async () => {
    const answer = await sharedBot().handle({ text: 'UserErrorFsFreezeFailed\nExtensionSnapshotBitlockerError\nError 34506', thread: 'blocks-multi', user: 'u' });
    expect(answer.matches).toHaveLength(3);
    const messages = renderSlack(answer);
    expectWithinLimits(messages);
    expect(messages).toHaveLength(1);
  });

  it('numbers steps on exactly across rich_text blocks when a long list is split', () => {
    const steps: Block = { type: 'steps', start: 1, items: Array.from({ length: 30 }, (_, i) => ({ text: rich(`Step ${i + 1} ${'w'.repeat(400)}`), substeps: [] })) };
    const messages = renderSlack({ ...hugeAnswer(), blocks: [steps], buttons: [] });
    expectWithinLimits(messages);
    const lists = richElements(messages).filter((e) => e.type === 'rich_text_list' && e.style === 'ordered');
    expect(lists.length).toBeGreaterThan(1);
    let before = 0;
    for (const list of lists) {
      // Slack numbers a list from offset + 1: each list goes on where the one before it stopped.
      expect(list.offset ?? 0).toBe(before);
      before += list.elements!.length;
    }
    expect(before).toBe(30);
  });

  it('numbers a quoted step with its own number, and keeps its code as preformatted lines', async () => {
    await sharedBot().handle({ text: 'Snapshot operation failed because VSS writers were in a bad state.', thread: 'blocks-quote', user: 'u' });
    await sharedBot().handle({ text: 'it still fails', thread: 'blocks-quote', user: 'u' });
    const answer = await sharedBot().handle({ text: 'what does step 2 mean?', thread: 'blocks-quote', user: 'u' });
    const elements = richElements(renderSlack(answer));
    const ordered = elements.filter((e) => e.type === 'rich_text_list' && e.style === 'ordered');
    expect(ordered.map((l) => l.offset)).toEqual([1]);
    const code = elements.filter((e) => e.type === 'rich_text_preformatted').map((e) => e.elements![0]!.text);
    expect(code).toEqual(['REG ADD "HKLM\\SOFTWARE\\Microsoft\\BcdrAgentPersistentKeys" /v SnapshotWithoutThreads /t REG_SZ /d True /f']);
  });

  it('shows each cause\'s whole fix in the table, sub-steps included, and marks the cause whose steps show', async () => {
    const answer = await sharedBot().handle({ text: VAULT, thread: 'blocks-table', user: 'u' });
    const [message] = renderSlack(answer);
    const table = message!.blocks.find((b) => b.type === 'table') as unknown as { rows: unknown[][] };
    expect(JSON.stringify(table.rows[1]![0])).toContain('1. The vault credentials are not valid (steps below)');
    expect(JSON.stringify(table.rows[3]![1])).toContain('cbengine.exe');
  });

  it('turns spans into Slack mrkdwn and escapes control characters', () => {
    expect(mrkdwn(rich('Run `a<b>` in **Tools** and see [the docs](https://learn.microsoft.com/x) & more'))).toBe(
      'Run `a&lt;b&gt;` in *Tools* and see <https://learn.microsoft.com/x|the docs> &amp; more',
    );
  });
});

describe('Slack buttons', () => {
  it('carry the entry and language of their own answer', async () => {
    const answer = await sharedBot().handle({ text: VAULT, thread: 'blocks-buttons', user: 'u', locale: 'nl-NL' });
    const [message] = renderSlack(answer);
    const buttons = message!.blocks.filter((b) => b.type === 'actions').flatMap((b) => (b as { elements: { action_id: string; value: string }[] }).elements);
    const actions = buttons.map((b) => actionOf(b.value));
    // The MARS entry answered, its Azure Backup Server twin named as a close second.
    expect(actions.map((a) => a?.type)).toEqual(['pick', 'more_causes', 'language', 'language', 'feedback', 'feedback']);
    for (const [i, a] of actions.entries()) {
      expect(a?.language).toBe('nl');
      expect(JSON.stringify(a)).toContain(i === 0 ? 'mabs/invalid-vault-credentials' : 'mars/invalid-vault-credentials');
    }
    expect(new Set(buttons.map((b) => b.action_id)).size).toBe(buttons.length);
  });

  it('give way to a thanks line once feedback is given, and "Other causes" disappears once used', async () => {
    const answer = await sharedBot().handle({ text: VAULT, thread: 'blocks-spend', user: 'u' });
    const blocks = renderSlack(answer)[0]!.blocks;
    const idOf = (type: string) => blocks.filter((b) => b.type === 'actions').flatMap((b) => (b as { elements: { action_id: string; value: string }[] }).elements).find((e) => actionOf(e.value)?.type === type)!;
    const up = idOf('feedback');
    const afterFeedback = spendButton(blocks, up.action_id, actionOf(up.value)!);
    expect(JSON.stringify(afterFeedback)).not.toContain('bt1|up|');
    expect(JSON.stringify(afterFeedback)).not.toContain('bt1|down|');
    expect(JSON.stringify(afterFeedback)).toContain('Thanks for the feedback.');
    expect(JSON.stringify(afterFeedback)).toContain('bt1|lang|');
    const more = idOf('more_causes');
    const afterMore = spendButton(blocks, more.action_id, actionOf(more.value)!) as KnownBlock[];
    expect(JSON.stringify(afterMore)).not.toContain('bt1|more|');
    expect(JSON.stringify(afterMore)).toContain('bt1|up|');
  });
});
