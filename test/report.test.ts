import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../src/cli/main.ts';
import { reportCommand } from '../src/cli/report.ts';
import { buildReport, formatReport } from '../src/report/report.ts';
import { SqliteStore } from '../src/store/sqlite.ts';
import type { StoredEvent } from '../src/store/store.ts';

const NOW = Date.parse('2026-12-01T12:00:00Z');
const at = (minutesAgo: number) => NOW - minutesAgo * 60_000;
const message = (minutesAgo: number, outcome: 'answered' | 'no-match' | 'suggested' | 'follow-up', extra: Partial<StoredEvent> = {}): StoredEvent =>
  ({ at: at(minutesAgo), type: 'message', platform: 'slack', language: 'en', outcome, entries: [], ...extra }) as StoredEvent;

const EVENTS: StoredEvent[] = [
  message(50, 'no-match', { text: 'Veeam job 4521 failed: tape drive offline' }),
  message(40, 'no-match', { text: 'Veeam job 4522 failed: tape drive offline' }),
  message(30, 'suggested', { text: 'veeam job 17 failed tape drive offline again' }),
  message(20, 'no-match', { platform: 'teams', language: 'nl', text: 'de back-up is kapot' }),
  message(10, 'answered', { entries: ['mars/cache-problems'] }),
  message(9, 'follow-up', { entries: ['mars/cache-problems'] }),
  { at: at(8), type: 'feedback', platform: 'slack', language: 'en', value: 'down', entries: ['mars/cache-problems'] },
  { at: at(7), type: 'feedback', platform: 'slack', language: 'en', value: 'up', entries: ['mars/cache-problems'] },
  { at: at(6), type: 'feedback', platform: 'teams', language: 'sv', value: 'down', entries: ['iaasvm/vm-agent-update'] },
  { at: at(5), type: 'feedback', platform: 'teams', language: 'sv', value: 'down', entries: ['iaasvm/vm-agent-update'] },
  { at: at(4), type: 'pick', platform: 'slack', language: 'en', entry: 'mars/verify-proxy-settings' },
  { at: at(3), type: 'pick', platform: 'teams', language: 'nl', entry: 'mars/verify-proxy-settings' },
];

describe('the maintainer report', () => {
  const report = buildReport(EVENTS, at(60), NOW);

  it('groups unanswered messages by likeness, the largest group first, numbers aside', () => {
    expect(report.unanswered).toEqual([
      { count: 3, text: 'Veeam job 4521 failed: tape drive offline', outcomes: { 'no-match': 2, suggested: 1 }, examples: ['Veeam job 4521 failed: tape drive offline', 'Veeam job 4522 failed: tape drive offline', 'veeam job 17 failed tape drive offline again'] },
      { count: 1, text: 'de back-up is kapot', outcomes: { 'no-match': 1 }, examples: ['de back-up is kapot'] },
    ]);
  });

  it('lists 👎 by entry, picks, and the answer rate by platform and language without follow-ups', () => {
    expect(report.feedback).toEqual([
      { entry: 'iaasvm/vm-agent-update', up: 0, down: 2 },
      { entry: 'mars/cache-problems', up: 1, down: 1 },
    ]);
    expect(report.picks).toEqual([{ entry: 'mars/verify-proxy-settings', count: 2 }]);
    expect(report.messages).toBe(5);
    expect(report.answerRate).toEqual([
      { platform: 'slack', language: 'en', messages: 4, answered: 1, rate: 0.25 },
      { platform: 'teams', language: 'nl', messages: 1, answered: 0, rate: 0 },
    ]);
  });

  it('reads as text, with the counts first', () => {
    const text = formatReport(report, 'sqlite, ./data');
    expect(text).toContain('backup-triage report, 2026-12-01 11:00 to 2026-12-01 12:00 UTC (sqlite, ./data)');
    expect(text).toContain('     3×  Veeam job 4521 failed: tape drive offline');
    expect(text).toContain('     2 👎    0 👍  iaasvm/vm-agent-update');
    expect(text).toContain('     2×  mars/verify-proxy-settings');
  });

  it('reads the events the store holds since --since, as text or JSON', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bt-report-'));
    try {
      const store = new SqliteStore({ dataDir: dir });
      for (const e of EVENTS) await store.record(e);
      await store.record(message(60 * 24 * 3, 'no-match', { text: 'three days ago' }));
      await store.close();
      const out: string[] = [];
      const io = { out: (t: string) => out.push(t), err: (t: string) => out.push(t) };
      expect(await reportCommand(['--json', '--since', '2h'], io, { DATA_DIR: dir }, NOW)).toBe(0);
      expect((JSON.parse(out[0]!) as { messages: number }).messages).toBe(5);
      out.length = 0;
      expect(await reportCommand(['--since', '7d'], io, { DATA_DIR: dir }, NOW)).toBe(0);
      expect(out[0]).toContain('three days ago');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('says in one line when the store can be neither opened nor reached', async () => {
    const err: string[] = [];
    const io = { out: () => undefined, err: (t: string) => err.push(t) };
    const file = join(mkdtempSync(join(tmpdir(), 'bt-report-')), 'a-file');
    writeFileSync(file, 'not a directory');
    expect(await reportCommand([], io, { DATA_DIR: join(file, 'data') }, NOW)).toBe(1);
    expect(err).toEqual([expect.stringMatching(/^backup-triage: DATA_DIR \(.+\) can't hold the database \(ENOTDIR.*\): set it to a writable directory, or set REDIS_URL$/u)]);
    err.length = 0;
    // Port 1 on loopback: nothing listens there.
    expect(await reportCommand([], io, { REDIS_URL: 'redis://127.0.0.1:1' }, NOW)).toBe(1);
    expect(err).toEqual([expect.stringMatching(/^backup-triage: could not read the events log: Redis at REDIS_URL did not answer; check that it runs and can be reached \(/u)]);
  }, 20_000);

  it('says what --since takes, and how to ask for help', async () => {
    const err: string[] = [];
    expect(await main(['report', '--since', 'last tuesday'], { out: () => undefined, err: (t) => err.push(t) })).toBe(2);
    expect(err[0]).toMatch(/^backup-triage: --since takes a period such as 24h, 7d or 2w, or a date \(got "last tuesday"\)/u);
    const out: string[] = [];
    expect(await main(['report', '--help'], { out: (t) => out.push(t), err: () => undefined })).toBe(0);
    expect(out[0]).toMatch(/^Usage: backup-triage report \[--since 7d\] \[--json\]/u);
  });
});
