import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import nock from 'nock';
import { afterEach, describe, expect, it } from 'vitest';
import { kbCommand, rawArticleUrl } from '../src/cli/kb.ts';
import { main } from '../src/cli/main.ts';
import { headingAnchor, parseArticle } from '../src/core/knowledge/article.ts';

const FIXTURE_KB = fileURLToPath(new URL('./fixtures/kb-valid', import.meta.url));
const ARTICLES = fileURLToPath(new URL('./fixtures/articles', import.meta.url));
const CURRENT = fileURLToPath(new URL('../../shared/articles/en', import.meta.url));
const MARS = 'backup-azure-mars-troubleshoot';

async function drift(args: string[], dir = FIXTURE_KB) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await kbCommand(['drift', ...args, '--dir', dir], { out: (t) => out.push(t), err: (t) => err.push(t) }, dir);
  return { code, out: out.join('\n'), err: err.join('\n') };
}

afterEach(() => {
  nock.cleanAll();
  nock.enableNetConnect();
});

describe('reading an article', () => {
  it("gives headings Learn's ids", () => {
    const seen = new Map<string, number>();
    expect(headingAnchor('UserErrorFsFreezeFailed - Failed to freeze one or more mount-points', seen)).toBe('usererrorfsfreezefailed---failed-to-freeze-one-or-more-mount-points');
    expect(headingAnchor("Backups don't run according to schedule", seen)).toBe('backups-dont-run-according-to-schedule');
    expect(headingAnchor('MARS offline seeding using customer-owned disks (Import/Export) is not working', seen)).toBe('mars-offline-seeding-using-customer-owned-disks-importexport-is-not-working');
    expect(headingAnchor('virtual machine  is not running', seen)).toBe('virtual-machine--is-not-running');
    expect(headingAnchor('Backup or restore job is displayed as *in progress*', seen)).toBe('backup-or-restore-job-is-displayed-as-in-progress');
    expect(headingAnchor('Common issues', seen)).toBe('common-issues');
    expect(headingAnchor('Common issues', seen)).toBe('common-issues-1');
  });

  it('finds the version, the sections, the messages of tables and labels, and the codes, but not in code blocks', () => {
    const article = parseArticle(readFileSync(`${ARTICLES}/drifted/${MARS}.md`, 'utf8'));
    expect(article.date).toBe('2024-03-07');
    expect(article.sections.map((s) => s.anchor)).toEqual(['encryption-passphrase-not-correctly-configured', 'scratch-folder-on-a-removable-volume', 'next-steps']);
    expect(article.messages.map((m) => m.text)).toEqual([
      'Error 34506. The encryption passphrase is missing from the registry of this server.',
      'The scratch folder cannot be on a removable volume (ID: 34599)',
    ]);
    expect(article.codes).toEqual(['34506', '34599', 'SalScratchOnRemovableVolume']);
    const inSync = parseArticle(readFileSync(`${ARTICLES}/in-sync/${MARS}.md`, 'utf8'));
    expect(inSync.messages.map((m) => m.section)).toEqual(['encryption-passphrase-not-correctly-configured']);
    expect(inSync.codes).toEqual(['34506']);
  });

  it('reads anything without throwing', () => {
    for (const text of ['', '---', '| a |\n| --- |\n| b |', '# only a title', '\u0000\u0001binary', '```\nunclosed']) {
      expect(parseArticle(text).sections).toBeInstanceOf(Array);
    }
  });
});

describe('backup-triage kb drift', () => {
  it('reports no drift for an article the knowledge follows, and exits 0', async () => {
    const { code, out } = await drift([`${ARTICLES}/in-sync/${MARS}.md`]);
    expect(code).toBe(0);
    expect(out).toContain('in sync');
  });

  it('lists new and gone sections, changed messages, codes no entry carries and older entries, and exits 1', async () => {
    const { code, out } = await drift([`${ARTICLES}/drifted/${MARS}.md`, '--json']);
    expect(code).toBe(1);
    expect(JSON.parse(out)).toEqual({
      doc: MARS,
      articleDate: '2024-03-07',
      listedDate: '2022-12-05',
      newSections: [{ anchor: 'scratch-folder-on-a-removable-volume', title: 'Scratch folder on a removable volume' }],
      goneSections: [{ anchor: 'increase-shadow-copy-storage', title: 'Increase shadow copy storage' }],
      changedMessages: [
        { section: 'encryption-passphrase-not-correctly-configured', text: 'Error 34506. The encryption passphrase is missing from the registry of this server.' },
        { section: 'scratch-folder-on-a-removable-volume', text: 'The scratch folder cannot be on a removable volume (ID: 34599)' },
      ],
      unindexedCodes: ['34599', 'SalScratchOnRemovableVolume'],
      olderEntries: [
        { id: 'mars/encryption-passphrase', date: '2022-12-05' },
        { id: 'mars/shadow-copy-storage', date: '2022-12-05' },
      ],
      inSync: false,
    });
    const text = await drift([`${ARTICLES}/drifted/${MARS}.md`]);
    expect(text.out).toContain('new sections (1):\n  scratch-folder-on-a-removable-volume');
    expect(text.out).toContain('codes no entry carries (2):');
  });

  it('takes the article from --doc when the file name does not say', async () => {
    const { code } = await drift([`${ARTICLES}/in-sync/${MARS}.md`, '--doc', MARS]);
    expect(code).toBe(0);
  });

  it('fetches a learn.microsoft.com address as its raw markdown', async () => {
    nock.disableNetConnect();
    const raw = nock('https://raw.githubusercontent.com').get(`/MicrosoftDocs/azure-docs/main/articles/backup/${MARS}.md`).reply(200, readFileSync(`${ARTICLES}/in-sync/${MARS}.md`, 'utf8'));
    const { code } = await drift([`https://learn.microsoft.com/en-us/azure/backup/${MARS}`]);
    expect(code).toBe(0);
    expect(raw.isDone()).toBe(true);
  });

  it('maps Learn and GitHub addresses to raw markdown, and nothing else', () => {
    expect(rawArticleUrl(`https://learn.microsoft.com/nl-nl/azure/backup/${MARS}`)).toBe(`https://raw.githubusercontent.com/MicrosoftDocs/azure-docs/main/articles/backup/${MARS}.md`);
    expect(rawArticleUrl(`https://github.com/MicrosoftDocs/azure-docs/blob/main/articles/backup/${MARS}.md`)).toBe(`https://raw.githubusercontent.com/MicrosoftDocs/azure-docs/main/articles/backup/${MARS}.md`);
    for (const other of ['http://learn.microsoft.com/en-us/azure/backup/x', 'https://example.com/a.md', 'https://learn.microsoft.com/en-us/azure/storage/x', 'not a url']) expect(rawArticleUrl(other)).toBeUndefined();
  });

  it('exits 2 with one line for a usage error or an article it cannot read', async () => {
    const io = { out: () => undefined, err: () => undefined };
    expect(await main(['kb', 'drift'], io)).toBe(2);
    expect(await main(['kb', 'drift', `${ARTICLES}/in-sync/${MARS}.md`, 'extra'], io)).toBe(2);
    expect(await main(['kb', 'drift', '/tmp/some-article.md'], io)).toBe(2);
    const missing = await drift([`${ARTICLES}/in-sync/missing.md`, '--doc', MARS]);
    expect(missing.code).toBe(2);
    expect(missing.err).toMatch(/^kb drift: cannot read .*missing\.md: /u);
  });
});

describe.skipIf(!existsSync(CURRENT))("the knowledge against today's articles", () => {
  it.each([MARS, 'backup-azure-vms-troubleshoot', 'backup-azure-mabs-troubleshoot'])('%s: no drift', async (doc) => {
    const out: string[] = [];
    const code = await main(['kb', 'drift', `${CURRENT}/${doc}.md`], { out: (t) => out.push(t), err: (t) => out.push(t) });
    expect(out.join('\n')).toContain('in sync');
    expect(code).toBe(0);
  });
});
