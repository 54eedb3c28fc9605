import type { TurnContext } from 'botbuilder';
import { describe, expect, it } from 'vitest';
import { Sender } from '../src/adapters/teams/bot.ts';
import { createLogger } from '../src/server/logger.ts';
import { logSink, noWait } from './helpers/slack.ts';

/** A turn context that records when each reply was sent, and can refuse the first ones. */
function fakeContext(conversation: string, sent: { text: string; at: number }[], refusals: (number | [number, string])[] = []) {
  return {
    activity: { conversation: { id: conversation }, id: `msg-${conversation}` },
    sendActivity: async (activity: { text: string }) => {
      const refusal = refusals.shift();
      if (refusal) {
        const [status, retryAfter] = Array.isArray(refusal) ? refusal : [refusal, undefined];
        const headers = { get: (name: string) => (name === 'retry-after' ? retryAfter : undefined) };
        throw Object.assign(new Error(`refused ${status}`), { statusCode: status, response: { headers } });
      }
      sent.push({ text: activity.text, at: Date.now() });
      return { id: String(sent.length) };
    },
  } as unknown as TurnContext;
}

describe('Teams replies', () => {
  it('go out in order, at most 7 a second per conversation', async () => {
    const sender = new Sender(createLogger('silent'));
    const sent: { text: string; at: number }[] = [];
    const context = fakeContext('c1', sent);
    await Promise.all(['a', 'b', 'c', 'd'].map((text) => sender.send(context, { type: 'message', text })));
    expect(sent.map((s) => s.text)).toEqual(['a', 'b', 'c', 'd']);
    for (let i = 1; i < sent.length; i += 1) expect(sent[i]!.at - sent[i - 1]!.at).toBeGreaterThanOrEqual(Math.floor(1000 / 7));
  });

  it('are retried after 412, 429, 500, 502, 503 and 504, with backoff, and posted once', async () => {
    const clock = noWait();
    const sender = new Sender(createLogger('silent'), { sleep: clock.sleep });
    const sent: { text: string; at: number }[] = [];
    expect(await sender.send(fakeContext('c2', sent, [412, 429, 500, 502, 503, 504]), { type: 'message', text: 'answer' })).toBe('1'); // the id Teams gave the reply
    expect(sent.map((s) => s.text)).toEqual(['answer']);
    expect(clock.waits).toEqual([250, 500, 1000, 2000, 4000, 8000]);
  });

  it("wait out a 429's Retry-After", async () => {
    const clock = noWait();
    const sender = new Sender(createLogger('silent'), { sleep: clock.sleep });
    const sent: { text: string; at: number }[] = [];
    expect(await sender.send(fakeContext('c3', sent, [[429, '3']]), { type: 'message', text: 'answer' })).toBe('1');
    expect(clock.waits).toEqual([3000]);
    expect(sent).toHaveLength(1);
  });

  it('give up on other errors at once, and on a Retry-After past the budget, with one line naming the reply', async () => {
    const logs = logSink();
    const clock = noWait();
    const sender = new Sender(logs.logger.child({ platform: 'teams' }), { sleep: clock.sleep, budgetMs: 30_000 });
    const sent: { text: string; at: number }[] = [];
    expect(await sender.send(fakeContext('c4', sent, [403]), { type: 'message', text: 'answer' })).toBe(false);
    expect(await sender.send(fakeContext('c5', sent, [[429, '120']]), { type: 'message', text: 'answer' })).toBe(false);
    expect(sent).toEqual([]);
    expect(clock.waits).toEqual([]);
    const lost = logs.lines.map((l) => JSON.parse(l)).filter((l) => l.msg.startsWith('reply lost'));
    expect(lost).toMatchObject([
      { level: 50, platform: 'teams', conversation: 'c4', thread: 'c4', messageId: 'msg-c4', status: 403 },
      { level: 50, conversation: 'c5', thread: 'c5', messageId: 'msg-c5', status: 429 },
    ]);
  });
});
