import { createRequire } from 'node:module';
import { stripVTControlCharacters } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { Session } from '../src/cli/chat.ts';
import { renderTerminal, terminalStyle } from '../src/cli/render.ts';
import type { Answer } from '../src/core/answer/model.ts';
import { sharedBot } from './helpers/bot.ts';

const VAULT = 'Invalid vault credentials provided. The file is either corrupted or does not have the latest credentials associated with recovery service. (ID: 34513)';
const ARTICLE = 'https://learn.microsoft.com/en-us/azure/backup/backup-azure-mars-troubleshoot#invalid-vault-credentials-provided';
const ESC = '\u001b[';

let vault: Answer;
beforeAll(async () => {
  vault = await sharedBot().handle({ text: VAULT, thread: 'render-vault', user: 'u' });
}, 60_000);

describe('answers in a terminal', () => {
  it('draws the cause table as a table, numbers the steps, and sets commands and links apart', () => {
    const text = renderTerminal(vault, { color: false, width: 100 });
    expect(text).not.toContain(ESC);
    // Markdown is not printed raw.
    expect(text).not.toMatch(/\*\*|`|\]\(http/u);
    expect(text).toMatch(/^┌─+┬─+┐$/mu);
    expect(text).toMatch(/^│ Cause +│ What to do +│$/mu);
    expect(text).toMatch(/^│ 1\. The vault credentials/mu);
    expect(text).toMatch(/^1\. Download a new vault credentials file/mu);
    expect(text).toMatch(/^2\. Then, depending on where you are:\n {3}a\) If MARS is already installed/mu);
    expect(text).toContain(`Article:\n${ARTICLE}`);
  });

  it('wraps to the terminal width without cutting a word or a link', () => {
    for (const width of [60, 80, 120]) {
      const text = renderTerminal(vault, { color: false, width });
      const words = (s: string) => s.replace(/[│┌┐└┘├┤┬┴┼─]/gu, ' ').split(/\s+/u).filter(Boolean);
      for (const line of text.split('\n')) {
        // Only a word longer than the line may run past it: a link, which must stay whole.
        if (line.length > width) expect(words(line).some((w) => /^\(?https?:/u.test(w) && w.length > width / 3)).toBe(true);
      }
      // Every link in the answer is there in full, on one line.
      for (const url of [ARTICLE, 'https://aka.ms/azurebackup_agent']) expect(text.split('\n').some((l) => l.includes(url))).toBe(true);
      // The table's own lines are exactly as wide as the terminal, or narrower.
      for (const line of text.split('\n').filter((l) => /^[│┌└├]/u.test(l))) expect(line.length).toBeLessThanOrEqual(width);
    }
  });

  it('lists a link inside the table under it, whole, with its number in the cell', () => {
    const text = renderTerminal(vault, { color: false, width: 80 });
    expect(text).toMatch(/│ Download a new vault credentials file \[link 1\]/u);
    expect(text).toMatch(/^\[link 1\] https:\/\/learn\.microsoft\.com\/en-us\/azure\/backup\/backup-azure-file-folder-backup-faq#where-can-i-download-the-vault-credentials-file-$/mu);
  });

  it('colours a terminal, but not with NO_COLOR, not when dumb, and not in a pipe', () => {
    expect(terminalStyle({ isTTY: true, columns: 90 }, {})).toEqual({ color: true, width: 90 });
    expect(terminalStyle({ isTTY: true, columns: 90 }, { NO_COLOR: '1' }).color).toBe(false);
    expect(terminalStyle({ isTTY: true, columns: 90 }, { TERM: 'dumb' }).color).toBe(false);
    expect(terminalStyle({}, {}).color).toBe(false);
    expect(terminalStyle({}, { FORCE_COLOR: '1' }).color).toBe(true);
    const coloured = renderTerminal(vault, { color: true, width: 100 });
    expect(coloured).toContain(ESC);
    expect(stripVTControlCharacters(coloured)).toBe(renderTerminal(vault, { color: false, width: 100 }));
  });
});

describe('chat commands', () => {
  const session = () => new Session(sharedBot(), undefined);

  it.each(['/quit', 'quit', 'exit', ' EXIT ', '/exit'])('%s leaves', async (text) => {
    expect(await session().say(text)).toMatchObject({ quit: true, text: 'Bye.' });
  });

  it('clear and /clear clear the screen instead of asking about a step', async () => {
    for (const text of ['clear', '/clear']) expect(await session().say(text)).toEqual({ clear: true });
  });

  it('/help lists the commands; an unknown command says so', async () => {
    const s = session();
    expect((await s.say('/help')).text).toMatch(/\/lang en\|nl\|sv[\s\S]*\/new[\s\S]*\/quit/u);
    expect((await s.say('/frobnicate')).text).toBe('There is no command /frobnicate. Type /help for the list.');
  });

  it('/lang nl answers the last answer again in Dutch, and the chat speaks Dutch from then on', async () => {
    const s = session();
    expect((await s.say(VAULT)).answer?.language).toBe('en');
    const reply = await s.say('/lang nl');
    expect(reply.text).toBe('Ik antwoord voortaan in het Nederlands.');
    expect(reply.answer?.language).toBe('nl');
    expect(reply.answer?.matches[0]?.id).toBe('mars/invalid-vault-credentials');
    expect((await s.say('/help')).text).toMatch(/^Opdrachten:/u);
    expect((await s.say('/lang klingon')).text).toBe('Geef een taal op: /lang en, /lang nl of /lang sv.');
  });

  it('/new forgets the thread: a follow-up has no earlier answer', async () => {
    const s = session();
    await s.say(VAULT);
    expect((await s.say('/new')).text).toBe('New conversation: paste the next error.');
    const after = await s.say('what does step 1 mean?');
    expect(after.answer?.matches).toEqual([]);
  });
});

describe("the build's string-width for cli-table3", () => {
  const require = createRequire(import.meta.url);
  const shim = require('../scripts/shims/string-width.cjs') as (text: unknown) => number;
  const stringWidth = createRequire(require.resolve('cli-table3'))('string-width') as (text: string) => number;

  it.each([
    '',
    'Download a new vault credentials file',
    '\u001b[36mnet stop VSS\u001b[39m',
    'Ögonblicksbilden misslyckades på den virtuella datorn',
    'バックアップ',
    '✅ done 👍',
    'tab\there',
    '\u001b]8;;https://example.org\u0007link\u001b]8;;\u0007',
  ])('measures %j as string-width does', (text) => {
    expect(shim(text)).toBe(stringWidth(text));
  });
});
