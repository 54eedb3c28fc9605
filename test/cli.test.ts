import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const BIN = fileURLToPath(new URL('../bin/backup-triage.js', import.meta.url));

function run(args: string[], input?: string) {
  const r = spawnSync(process.execPath, [BIN, ...args], { input, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('backup-triage ask', () => {
  it('--json prints the stable answer interface', () => {
    const { code, out } = run(['ask', '--json', '--locale', 'nl-NL', 'Error 34506']);
    expect(code).toBe(0);
    const answer = JSON.parse(out);
    expect(Object.keys(answer)).toEqual(['language', 'intent', 'matches', 'suggestions', 'text']);
    expect(answer.language).toBe('nl');
    expect(answer.matches[0]).toMatchObject({
      id: 'mars/encryption-passphrase-not-configured',
      doc: 'backup-azure-mars-troubleshoot',
      anchor: 'encryption-passphrase-not-correctly-configured',
      url: 'https://learn.microsoft.com/nl-nl/azure/backup/backup-azure-mars-troubleshoot#encryption-passphrase-not-correctly-configured',
    });
    expect(Object.keys(answer.matches[0].causes[0])).toEqual(['cause', 'actions']);
  });

  it('reads the message from standard input with -', () => {
    const { code, out } = run(['ask', '-'], 'UserErrorFsFreezeFailed');
    expect(code).toBe(0);
    expect(out).toContain('https://learn.microsoft.com/en-us/azure/backup/backup-azure-vms-troubleshoot#usererrorfsfreezefailed');
  });

  it('rejects a malformed locale with the usage and exit code 2', () => {
    const { code, err } = run(['ask', '--locale', 'dutch', 'hi']);
    expect(code).toBe(2);
    expect(err).toContain('--locale must look like nl-NL');
  });
});

describe('backup-triage chat --jsonl', () => {
  it('answers each line in order, keeps thread context, and reports a malformed line without stopping', () => {
    const lines = [
      JSON.stringify({ thread: 't1', user: 'a', text: 'ID: 34513' }),
      'this is not json',
      JSON.stringify({ thread: 't1', user: 'a' }),
      JSON.stringify({ thread: 't1', user: 'a', text: 'på svenska tack' }),
      JSON.stringify({ thread: 't2', user: 'b', text: 'what does step 1 mean?', locale: 'en-US' }),
    ];
    const { code, out, err } = run(['chat', '--jsonl'], `${lines.join('\n')}\n`);
    expect(code).toBe(0);
    expect(err).toBe('');
    const answers = out.trim().split('\n').map((l) => JSON.parse(l));
    expect(answers).toHaveLength(5);
    expect(answers[0].matches[0].id).toBe('mars/invalid-vault-credentials');
    expect(answers[1]).toEqual({ error: 'line is not valid JSON' });
    expect(answers[2]).toEqual({ error: 'text: is missing or not a string' });
    expect(answers[3].language).toBe('sv');
    expect(answers[3].matches[0].id).toBe('mars/invalid-vault-credentials');
    expect(answers[4].matches).toEqual([]);
    expect(answers[4].text).toContain("I don't have an earlier answer in this thread.");
  });
});
