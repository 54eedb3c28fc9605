import { beforeAll, describe, expect, it } from 'vitest';
import { MAX_INPUT_CHARS } from '../src/core/text/clean.ts';
import { sharedBot } from './helpers/bot.ts';

// The knowledge is loaded and the intents trained once per file, before any test's clock starts.
beforeAll(() => {
  sharedBot();
}, 60_000);

const ask = (text: string, locale?: string) => sharedBot().handle({ text, thread: `bad-${Math.random()}`, user: 'u', ...(locale ? { locale } : {}) });

describe('bad input gets a clear, short reply', () => {
  it.each([
    ['empty', '', 'Your message is empty.'],
    ['whitespace', ' \n\t  ', 'Your message is empty.'],
    ['emoji only', '🔥🔥🙈', "I didn't find any words in that."],
    ['binary', Buffer.from([0, 159, 146, 150, 0, 1, 2, 255]).toString('latin1'), 'That looks like binary data, not text.'],
  ])('%s', async (_name, text, reply) => {
    const answer = await ask(text);
    expect(answer.text).toContain(reply);
    expect(answer.text.length).toBeLessThan(200);
    expect(answer.matches).toEqual([]);
  });

  it('replies in the locale\'s language', async () => {
    expect((await ask('', 'sv-SE')).text).toContain('Ditt meddelande är tomt.');
  });

  it('cuts a 5 MB paste to the cap, says so, and still finds the error at its start', async () => {
    const paste = `Error 34506. The encryption passphrase stored on this computer is not correctly configured.\n${'x'.repeat(5 * 1024 * 1024)}`;
    const answer = await ask(paste);
    expect(answer.text).toContain(`Your message was long; I read the ${MAX_INPUT_CHARS} characters around its error lines.`);
    expect(answer.matches.map((m) => m.id)).toEqual(['mars/encryption-passphrase-not-configured']);
  });

  it('finds the error line in the middle of a 64 KB log, wherever it is', async () => {
    const quiet = (n: number) => Array.from({ length: n }, (_, i) => `2024-05-06 08:${String(i % 60).padStart(2, '0')} INFO CBEngine: job ${i} progress ${i % 100}% on volume D:, ${'transferred blocks '.repeat(3)}`).join('\n');
    for (const where of [0.1, 0.5, 0.95]) {
      const lines = Math.round(620 * where);
      const log = `${quiet(lines)}\nError 34506. The encryption passphrase stored on this computer is not correctly configured.\n${quiet(620 - lines)}`;
      expect(log.length).toBeGreaterThan(60_000);
      const answer = await ask(log);
      expect(answer.matches.map((m) => m.id), `error line at ${where * 100}%`).toEqual(['mars/encryption-passphrase-not-configured']);
      expect(answer.text).toContain('around its error lines');
    }
  });

  it('handles a 2 MB single line without a match or a crash', async () => {
    const answer = await ask('ab '.repeat(700_000));
    expect(answer.text).toContain('Your message was long');
    expect(answer.matches).toEqual([]);
  });
});
