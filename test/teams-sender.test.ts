import type { TurnContext } from 'botbuilder';
import { describe, expect, it } from 'vitest';
import { Sender } from '../src/adapters/teams/bot.ts';
import { createLogger } from '../src/server/logger.ts';

/** A turn context that records when each reply was sent, and can refuse the first ones. */
function fakeContext(conversation: string, sent: { text: string; at: number }[], refusals: number[] = []) {
  return {
    activity: { conversation: { id: conversation } },
    sendActivity: async (activity: { text: string }) => {
      const status = refusals.shift();
      if (status) throw Object.assign(new Error(`refused ${status}`), { statusCode: status });
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

  it('are retried after 412, 502 and 504, and posted once', async () => {
    const sender = new Sender(createLogger('silent'));
    const sent: { text: string; at: number }[] = [];
    await sender.send(fakeContext('c2', sent, [412, 502, 504]), { type: 'message', text: 'answer' });
    expect(sent.map((s) => s.text)).toEqual(['answer']);
  });

  it('give up on other errors without retrying', async () => {
    const sender = new Sender(createLogger('silent'));
    const sent: { text: string; at: number }[] = [];
    await expect(sender.send(fakeContext('c3', sent, [403]), { type: 'message', text: 'answer' })).rejects.toThrow('refused 403');
    expect(sent).toEqual([]);
  });
});
