import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { sharedBot } from './helpers/bot.ts';

// The knowledge is loaded and the intents trained once per file, before any test's clock starts.
beforeAll(() => {
  sharedBot();
}, 60_000);

interface Case {
  name: string;
  text: string;
  locale?: string;
  matches: string[];
  suggest?: string[];
  /** Candidates that may be offered, none of them required: for a message that is at most a candidate. */
  maySuggest?: string[];
  language: string;
}

const cases = parse(readFileSync(new URL('./fixtures/recognition.yaml', import.meta.url), 'utf8')) as Case[];

describe('recognising what people paste', () => {
  it.each(cases.map((c, i) => [c.name, c, i] as const))('%s', async (_name, c, i) => {
    const answer = await sharedBot().handle({ text: c.text, thread: `recognition-${i}`, user: 'u', ...(c.locale ? { locale: c.locale } : {}) });
    expect(answer.matches.map((m) => m.id)).toEqual(c.matches);
    expect(answer.language).toBe(c.language);
    if (c.suggest) expect(answer.suggestions.map((s) => s.id).sort()).toEqual([...c.suggest].sort());
    else if (c.maySuggest) for (const s of answer.suggestions) expect(c.maySuggest).toContain(s.id);
    else if (c.matches.length === 0) expect(answer.suggestions).toEqual([]);
    for (const m of answer.matches) {
      // What the user reads: the title and the article link in the reply language.
      expect(answer.text).toContain(m.title);
      expect(answer.text).toContain(m.url);
      expect(m.url).toContain({ en: '/en-us/', nl: '/nl-nl/', sv: '/sv-se/' }[c.language as 'en' | 'nl' | 'sv']);
    }
  });

  it('shows the cause table and the numbered steps of the most likely cause', async () => {
    const answer = await sharedBot().handle({ text: 'ID: 34513', thread: 'table', user: 'u' });
    const [match] = answer.matches;
    expect(match?.causes.map((c) => c.cause)).toEqual([
      'The vault credentials are not valid',
      'A proxy server or firewall blocks the registration, or there is no internet connection',
      'Antivirus software blocks the registration',
    ]);
    expect(answer.text).toContain('Possible causes:\n1. The vault credentials are not valid');
    expect(answer.text).toContain('1. [Download a new vault credentials file](https://learn.microsoft.com/en-us/azure/backup/backup-azure-file-folder-backup-faq');
    expect(answer.text).toContain('2 other possible causes');
  });

  // An off-topic question with a product's words in it: not an answer with one of that product's
  // guides, at most candidates.
  it('does not answer with a guide when an off-topic question names its product', async () => {
    const answer = await sharedBot().handle({ text: 'the MARS agent icon looks different after the update, is that fine?', thread: 'off-product', user: 'u' });
    expect(answer.matches).toEqual([]);
    expect(answer.text).toMatch(/Did you mean one of these\?|I don't recognise this/u);
  });

  it('says plainly when nothing fits, with the product checklist when the product is clear', async () => {
    const answer = await sharedBot().handle({ text: 'who ordered the MARS agent licence for the new office?', thread: 'nothing', user: 'u' });
    expect(answer.matches).toEqual([]);
    expect(answer.text).toContain("I don't recognise this as an Azure Backup error.");
    expect(answer.text).toContain('MARS agent problem, start with the basic checks');
    expect(answer.text).toContain('backup-azure-mars-troubleshoot#basic-troubleshooting');
  });
});
