import { beforeAll, describe, expect, it } from 'vitest';
import { renderSlack } from '../src/adapters/slack/blocks.ts';
import { renderCard } from '../src/adapters/teams/card.ts';
import { renderText } from '../src/core/answer/render-text.ts';
import { sharedBot } from './helpers/bot.ts';

beforeAll(() => {
  sharedBot();
}, 60_000);

/** Every string of a rendered answer that a user can read, whatever the platform's format. */
function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(strings);
  if (value && typeof value === 'object') {
    return Object.entries(value as Record<string, unknown>).filter(([k]) => !['type', 'style', 'action_id', 'value', 'data', 'block_id', '$schema', 'fallbackText'].includes(k)).flatMap(([, v]) => strings(v));
  }
  return [];
}

/** What a reader sees, with the platforms' escapes taken away. */
const readable = (parts: string[]) =>
  parts.join('\n').replace(/\\([\\`*_{}[\]()#+\-.!>|~])/gu, '$1').replace(/\u00a0/gu, ' ').replace(/`|\*\*/gu, '');

describe('the three renderers', () => {
  it('show a single-cause error the same way: title, the cause as heading, every step and code line, the link, no table', async () => {
    const answer = await sharedBot().handle({ text: 'ExtensionFailedVssServiceInBadState', thread: 'renderers-1', user: 'u' });
    expect(answer.matches.map((m) => m.id)).toEqual(['iaasvm/extension-failed-vss-service-in-bad-state']);
    const text = renderText(answer);
    const slack = renderSlack(answer);
    const card = renderCard(answer);
    const shown = { text: readable([text]), slack: readable(strings(slack.map((m) => m.blocks))), teams: readable(strings(card.body)) };

    const cause = answer.matches[0]!.causes[0]!;
    const expected = [answer.matches[0]!.title, `Cause: ${cause.cause.replace(/`/gu, '')}`, answer.matches[0]!.url];
    const codeLines = cause.actions.flatMap((a) => [...a.matchAll(/```\n([\s\S]*?)\n```/gu)].flatMap((m) => m[1]!.split('\n')));
    expect(codeLines.length).toBeGreaterThan(0);
    for (const [platform, seen] of Object.entries(shown)) {
      for (const s of [...expected, ...codeLines.map((l) => l.trim())]) expect(seen, `${platform}: ${s}`).toContain(s);
    }
    // One cause: the heading names it, and no renderer adds a table of one row.
    expect(slack.flatMap((m) => m.blocks).some((b) => b.type === 'table')).toBe(false);
    expect(JSON.stringify(card)).not.toContain('"Table"');
    expect(text).not.toContain('Possible causes');
  });

  it('keep Markdown out of the answer model: code is a field of its own, never a fence', async () => {
    const answer = await sharedBot().handle({ text: 'Snapshot operation failed because VSS writers were in a bad state.', thread: 'renderers-2', user: 'u' });
    expect(JSON.stringify(answer.blocks)).not.toContain('```');
    expect(JSON.stringify(answer.blocks)).toContain('"code":"net stop serviceName\\nnet start serviceName"');
  });
});
