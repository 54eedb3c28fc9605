import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { askCommand } from '../src/cli/ask.ts';
import { chatCommand } from '../src/cli/chat.ts';
import { main, type Io } from '../src/cli/main.ts';
import { sharedBot } from './helpers/bot.ts';

const BIN = fileURLToPath(new URL('../bin/backup-triage.js', import.meta.url));

beforeAll(() => {
  sharedBot();
}, 60_000);

afterEach(() => {
  vi.unstubAllEnvs();
});

function capture(): Io & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { stdout, stderr, out: (t) => stdout.push(t), err: (t) => stderr.push(t) };
}

describe('backup-triage ask', () => {
  it('--json prints the stable answer interface', async () => {
    const io = capture();
    expect(await main(['ask', '--json', '--locale', 'nl-NL', 'Error 34506'], io, sharedBot)).toBe(0);
    const answer = JSON.parse(io.stdout.join('\n'));
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

  it('reads the message from standard input with -', async () => {
    const io = capture();
    expect(await askCommand(['-'], io, { engine: sharedBot }, { read: () => Buffer.from('UserErrorFsFreezeFailed'), isTTY: false })).toBe(0);
    expect(io.stdout.join('\n')).toContain('https://learn.microsoft.com/en-us/azure/backup/backup-azure-vms-troubleshoot#usererrorfsfreezefailed');
  });

  it('rejects a malformed locale with the usage and exit code 2', async () => {
    const io = capture();
    expect(await main(['ask', '--locale', 'dutch', 'hi'], io, sharedBot)).toBe(2);
    expect(io.stderr.join('\n')).toContain('--locale must look like nl-NL');
  });
});

describe('--help and --version', () => {
  const version = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).version as string;

  it.each(['ask', 'chat', 'serve', 'report', 'kb'])('%s --help and -h print the command\'s usage and exit 0', async (command) => {
    for (const flag of ['--help', '-h']) {
      const io = capture();
      expect(await main([command, flag], io, sharedBot)).toBe(0);
      expect(io.stdout.join('\n')).toMatch(new RegExp(`^Usage: backup-triage ${command}`, 'u'));
      expect(io.stderr).toEqual([]);
    }
  });

  it('help <command> is the same as <command> --help', async () => {
    const a = capture();
    const b = capture();
    await main(['help', 'ask'], a, sharedBot);
    await main(['ask', '--help'], b, sharedBot);
    expect(a.stdout).toEqual(b.stdout);
  });

  it.each([['--version'], ['-V'], ['ask', '--version'], ['serve', '--version'], ['kb', '--version']])('%s prints the package version', async (...argv) => {
    const io = capture();
    expect(await main(argv, io, sharedBot)).toBe(0);
    expect(io.stdout).toEqual([version]);
  });

  it('an unknown option names itself and shows the command\'s usage, exit 2', async () => {
    const io = capture();
    expect(await main(['ask', '--jsn', 'hi'], io, sharedBot)).toBe(2);
    expect(io.stderr.join('\n')).toContain('unknown option --jsn');
    expect(io.stderr.join('\n')).toContain('Usage: backup-triage ask');
  });

  it('chat checks --locale as ask does', async () => {
    const io = capture();
    expect(await main(['chat', '--locale', 'dutch'], io, sharedBot)).toBe(2);
    expect(io.stderr.join('\n')).toContain('--locale must look like nl-NL');
  });
});

describe('backup-triage ask input', () => {
  it('says what it waits for when - reads from a terminal', async () => {
    const io = capture();
    expect(await askCommand(['-'], io, { engine: sharedBot }, { read: () => Buffer.from('ID: 34513'), isTTY: true })).toBe(0);
    expect(io.stderr.join('\n')).toMatch(/Paste or type the message, then press Ctrl\+D/u);
  });

  it('says it in the language of --locale', async () => {
    const io = capture();
    expect(await askCommand(['--locale', 'sv-SE', '-'], io, { engine: sharedBot }, { read: () => Buffer.from('ID: 34513'), isTTY: true })).toBe(0);
    expect(io.stderr.join('\n')).toMatch(/^Klistra in eller skriv meddelandet/u);
  });

  it.each([
    ['UTF-16LE with a BOM', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('UserErrorFsFreezeFailed\r\n', 'utf16le')])],
    ['UTF-16BE with a BOM', Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from('UserErrorFsFreezeFailed\r\n', 'utf16le').swap16()])],
    ['UTF-8 with a BOM', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('UserErrorFsFreezeFailed\n')])],
  ])('decodes %s (what PowerShell\'s > writes)', async (_name, bytes) => {
    const io = capture();
    expect(await askCommand(['--json', '-'], io, { engine: sharedBot }, { read: () => bytes, isTTY: false })).toBe(0);
    expect(JSON.parse(io.stdout.join('')).matches[0].id).toBe('iaasvm/user-error-fs-freeze-failed');
  });
});

describe('backup-triage chat from a pipe', () => {
  it('reads UTF-16 with a byte-order mark, split anywhere, as PowerShell writes it', async () => {
    const line = JSON.stringify({ thread: 't-utf16', user: 'a', text: 'Återställningen misslyckades: ID: 34513' });
    const bytes = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(`${line}\r\n${line}\r\n`, 'utf16le')]);
    // Chunks of odd sizes: the mark and characters are split between them.
    const chunks = [bytes.subarray(0, 1), bytes.subarray(1, 4), bytes.subarray(4, 101), bytes.subarray(101)];
    const io = capture();
    expect(await chatCommand(['--jsonl'], io, { engine: sharedBot }, { input: Readable.from(chunks) })).toBe(0);
    const answers = io.stdout.map((l) => JSON.parse(l));
    expect(answers).toHaveLength(2);
    expect(answers[0].matches[0].id).toBe('mars/invalid-vault-credentials');
  });

  it('answers each line of plain text, laid out without colour', async () => {
    // Not a terminal, and nothing forces colour.
    vi.stubEnv('FORCE_COLOR', undefined);
    const io = capture();
    expect(await chatCommand([], io, { engine: sharedBot }, { input: Readable.from([Buffer.from('ID: 34513\n/quit\nID: 34506\n')]) })).toBe(0);
    const out = io.stdout.join('\n');
    expect(out).toContain('Invalid vault credentials provided');
    expect(out).toMatch(/^┌/mu);
    expect(out).not.toContain('\u001b[');
    // /quit ends the session: the line after it is not answered.
    expect(out).not.toContain('34506');
  });
});

describe('backup-triage chat --jsonl', () => {
  it('answers each line in order, keeps thread context, and reports a malformed line without stopping', async () => {
    const lines = [
      JSON.stringify({ thread: 't1', user: 'a', text: 'ID: 34513' }),
      'this is not json',
      JSON.stringify({ thread: 't1', user: 'a' }),
      JSON.stringify({ thread: 't1', user: 'a', text: 'på svenska tack' }),
      JSON.stringify({ thread: 't2', user: 'b', text: 'what does step 1 mean?', locale: 'en-US' }),
    ];
    const io = capture();
    expect(await chatCommand(['--jsonl'], io, { engine: sharedBot }, { input: Readable.from([`${lines.join('\n')}\n`]) })).toBe(0);
    expect(io.stderr).toEqual([]);
    const answers = io.stdout.map((l) => JSON.parse(l));
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

describe('the installed command', () => {
  it('runs from bin/ and answers on standard output', () => {
    const r = spawnSync(process.execPath, [BIN, 'ask', '-'], { input: 'UserErrorFsFreezeFailed', encoding: 'utf8', timeout: 60_000 });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('#usererrorfsfreezefailed');
    expect(r.stderr).toBe('');
  }, 90_000);
});
