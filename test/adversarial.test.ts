import fc from 'fast-check';
import nock from 'nock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Seen } from './helpers/bot.ts';
import { LANGUAGES } from '../src/core/knowledge/schema.ts';
import { cleanInput, MAX_INPUT_CHARS } from '../src/core/text/clean.ts';
import { sharedBot } from './helpers/bot.ts';
import { API, eventBody, logSink, sendSigned, startSlackServer } from './helpers/slack.ts';
import { CRAFTED, SPACES } from './fixtures/crafted.ts';

const PASTE = 'Error 34506. The encryption passphrase stored on this computer is not correctly configured.';

beforeAll(() => {
  sharedBot();
}, 60_000);

/** What every answer must be, whatever came in. */
function expectWellFormed(answer: Seen): void {
  expect(LANGUAGES).toContain(answer.language);
  expect(typeof answer.text).toBe('string');
  expect(answer.text.trim().length).toBeGreaterThan(0);
  expect(answer.text.length).toBeLessThan(40_000);
  expect(answer.suggestions.length).toBeLessThanOrEqual(3);
  expect(answer.matches.length).toBeLessThanOrEqual(3);
  for (const m of answer.matches) {
    expect(m.confidence).toBeGreaterThanOrEqual(0);
    expect(m.confidence).toBeLessThanOrEqual(1);
    expect(m.url).toMatch(/^https:\/\/learn\.microsoft\.com\//u);
  }
}

const ask = (text: string) => sharedBot().handle({ text, thread: `adv-${Math.random()}`, user: 'u' });

describe('crafted messages', () => {
  it.each(CRAFTED)('%s: a well-formed reply', async (_name, text) => {
    expectWellFormed(await ask(text));
  });

  it('a real error at the start of a crafted message is still found', async () => {
    const answer = await ask(`${PASTE}\n${'\u000b'.repeat(MAX_INPUT_CHARS)}x`);
    expect(answer.matches.map((m) => m.id)).toEqual(['mars/encryption-passphrase-not-configured']);
  });
});

// Pieces an attacker (or a messy paste) is made of: white space of every class, markup, digits,
// brackets, backticks, code labels, words of the knowledge, and long runs of any of them.
const piece = fc.oneof(
  fc.constantFrom(...SPACES, '\n', '\r\n', '`', '```', '*', '_', '~', '>', '<', '<@U1>', '[', ']', '(', ')', '{', '}', '#', ':', '-', '.', '&gt;', '&amp;'),
  fc.constantFrom('error', 'Error 34506', 'ID:', 'Fout', 'felkod', '0x80070005', 'UserErrorFsFreezeFailed', 'step 2', 'replica', 'vault', 'passphrase', 'backup', 'mislukt', 'misslyckades'),
  fc.integer({ min: 0, max: 999_999 }).map(String),
  fc.string({ maxLength: 12 }),
  fc.tuple(fc.constantFrom(...SPACES, 'a', '1', '[', '`', '*a', 'x1', 'ö'), fc.integer({ min: 1, max: 3000 })).map(([c, n]) => c.repeat(n)),
);
const message = fc.array(piece, { maxLength: 40 }).map((parts) => parts.join(''));

describe('properties over adversarial alphabets', () => {
  it('the cleaner returns lines of plain text: no white space but single spaces, within the cap', () => {
    fc.assert(
      fc.property(message, (raw) => {
        const cleaned = cleanInput(raw);
        expect(cleaned.text.length).toBeLessThanOrEqual(MAX_INPUT_CHARS);
        if (cleaned.problem) {
          expect(cleaned.text).toBe('');
          return;
        }
        expect(cleaned.text).toBe(cleaned.lines.join('\n'));
        for (const line of cleaned.lines) {
          expect(line.length).toBeGreaterThan(0);
          expect(line).toBe(line.trim());
          expect(line).not.toMatch(/[^\S ]| {2}/u);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('the engine answers every message with a well-formed reply', async () => {
    await fc.assert(
      fc.asyncProperty(message, async (raw) => {
        expectWellFormed(await ask(raw));
      }),
      { numRuns: 150 },
    );
  });
});

describe('through Slack', () => {
  beforeAll(() => {
    nock.disableNetConnect();
    nock.enableNetConnect('127.0.0.1');
  });
  afterAll(() => {
    nock.cleanAll();
    nock.enableNetConnect();
  });

  it('a normal paste sent right after crafted ones is still acknowledged within 3 s', async () => {
    nock(API)
      .persist()
      .post('/api/auth.test')
      .reply(200, { ok: true, user_id: 'UBOT', bot_id: 'BBOT' })
      .post('/api/users.info')
      .reply(200, { ok: true, user: { id: 'U1', locale: 'en-US' } })
      .post(/\/api\/chat\.post(Message|Ephemeral)/u)
      .reply(200, { ok: true, ts: '1700000000.000001' });
    const server = await startSlackServer(sharedBot(), {}, logSink().logger);
    try {
      const channelPaste = (text: string, i: number) => eventBody({ type: 'message', channel: 'C1', channel_type: 'channel', user: 'U1', text, ts: `1700000100.${String(i).padStart(6, '0')}` });
      // Every channel message goes through the passive check before its ack.
      const crafted = CRAFTED.slice(0, 8).map(([, text], i) => sendSigned(server.url, channelPaste(text, i)));
      const started = Date.now();
      const normal = await sendSigned(server.url, channelPaste(PASTE, 99));
      const ackMs = Date.now() - started;
      expect(normal.status).toBe(200);
      expect(ackMs).toBeLessThan(3000);
      for (const res of await Promise.all(crafted)) expect(res.status).toBe(200);
      await server.http.tracker.drain(10_000);
    } finally {
      await server.stop();
    }
  });
});
