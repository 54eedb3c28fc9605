import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';

// `backup-triage chat` in a real terminal: tmux runs it in a pseudo-terminal, pastes into it as a
// terminal does (with and without bracketed paste), presses keys, and reads the screen.
const BIN = fileURLToPath(new URL('../bin/backup-triage.js', import.meta.url));
const hasTmux = spawnSync('tmux', ['-V']).status === 0;
if (!hasTmux && process.env.CI === 'true') throw new Error('tmux is missing: .ci/run installs it (apt-get install tmux)');

const PASTE = [
  '2026-11-30 02:00:13 ERROR [Registration] Job failed',
  'Invalid vault credentials provided. The file is either corrupted or does not have the latest credentials associated with recovery service. (ID: 34513)',
  '   at Microsoft.Internal.CloudBackup.Registration.RegisterServer()',
].join('\n');

/** Each test has a tmux server of its own: a server being stopped never takes the next test's session with it. */
let socket = '';
const tmux = (...args: string[]) => spawnSync('tmux', ['-L', socket, ...args], { encoding: 'utf8' });

afterEach(() => {
  tmux('kill-server');
});

/** What the terminal holds, its scrollback included; `-e` keeps the colours' escape codes. */
function screen(...options: string[]): string {
  return tmux('capture-pane', '-p', '-J', '-S', '-', ...options, '-t', 'chat').stdout;
}

async function until(test: (text: string) => boolean, what: string, ms = 20_000): Promise<string> {
  const end = Date.now() + ms;
  for (;;) {
    const text = screen();
    if (test(text)) return text;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}; the screen:\n${text}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const count = (text: string, part: string) => text.split(part).length - 1;

function start({ color = false, width = 100 } = {}): void {
  socket = `bt-${randomUUID().slice(0, 8)}`;
  // The tmux server inherits this process's environment (CI sets NO_COLOR): each test sets its own.
  const command = `env ${color ? '-u NO_COLOR -u FORCE_COLOR TERM=xterm-256color' : '-u FORCE_COLOR NO_COLOR=1'} ${process.execPath} ${BIN} chat`;
  const run = tmux('new-session', '-d', '-s', 'chat', '-x', String(width), '-y', '50', command);
  expect(run.status, run.stderr).toBe(0);
  tmux('set-option', '-t', 'chat', 'remain-on-exit', 'on');
  tmux('set-option', '-t', 'chat', 'history-limit', '10000');
}

function paste(text: string, bracketed: boolean): void {
  const load = spawnSync('tmux', ['-L', socket, 'load-buffer', '-b', 'paste', '-'], { input: `${text}\n` });
  expect(load.status).toBe(0);
  tmux('paste-buffer', '-d', '-b', 'paste', '-t', 'chat', ...(bracketed ? ['-p'] : []));
}

describe.skipIf(!hasTmux)('chat in a terminal', () => {
  it('answers a pasted 3-line error once, with or without bracketed paste', async () => {
    start();
    await until((t) => t.includes('Type /help for the commands.'), 'the intro');
    paste(PASTE, true);
    let text = await until((t) => count(t, 'Article:') === 1 && /\n> $/u.test(t.trimEnd() + ' '), 'the answer');
    expect(text).toContain('Invalid vault credentials provided');
    expect(text).not.toMatch(/did you mean/iu);
    // NO_COLOR: not one colour escape.
    expect(screen('-e')).not.toContain('\u001b[');

    tmux('send-keys', '-t', 'chat', '/new', 'Enter');
    await until((t) => t.includes('New conversation'), '/new');
    // A terminal that doesn't mark pastes: the lines arrive together, and are still one message.
    paste(PASTE, false);
    await until((t) => count(t, 'Article:') === 2, 'the second answer');
    await new Promise((resolve) => setTimeout(resolve, 500));
    text = screen();
    expect(count(text, 'Article:')).toBe(2);
    expect(text).not.toMatch(/did you mean|I don't recognise/iu);
  }, 60_000);

  it('edits lines, recalls history with Up, and quits on "quit"', async () => {
    start();
    await until((t) => t.includes('Type /help for the commands.'), 'the intro');
    tmux('send-keys', '-t', 'chat', '/help', 'Enter');
    await until((t) => count(t, 'Commands:') === 1, 'the help');
    // Up brings back "/help"; the arrow is never taken for text.
    tmux('send-keys', '-t', 'chat', 'Up', 'Enter');
    let text = await until((t) => count(t, 'Commands:') === 2, 'the help again');
    expect(text).not.toMatch(/binary|\^\[\[A/u);
    // Left arrow and typing in the middle of the line, key by key as a person types: "qut" becomes "quit".
    tmux('send-keys', '-t', 'chat', 'qut');
    await until((t) => t.trimEnd().endsWith('> qut'), 'the typed text');
    tmux('send-keys', '-t', 'chat', 'Left');
    await new Promise((resolve) => setTimeout(resolve, 100));
    tmux('send-keys', '-t', 'chat', 'i');
    await until((t) => t.trimEnd().endsWith('> quit'), 'the edited line');
    tmux('send-keys', '-t', 'chat', 'Enter');
    text = await until((t) => t.includes('Bye.'), 'the goodbye');
    const dead = await until(() => tmux('display-message', '-p', '-t', 'chat', '#{pane_dead}').stdout.trim() === '1', 'chat to exit');
    expect(dead).toContain('Bye.');
    expect(text).not.toContain("I don't recognise");
  }, 60_000);

  it('lays the answer out for the terminal: in colour, its table as wide as the terminal, and clear clears it', async () => {
    start({ color: true, width: 80 });
    await until((t) => t.includes('Type /help for the commands.'), 'the intro');
    tmux('send-keys', '-t', 'chat', 'ID: 34513', 'Enter');
    const text = await until((t) => t.includes('Article:'), 'the answer');
    // The escape that starts a colour: the answer is not plain.
    expect(screen('-e')).toContain('\u001b[');
    const table = text.split('\n').filter((line) => /^[┌│├└]/u.test(line));
    expect(table.length).toBeGreaterThan(4);
    for (const line of table) expect([...line].length).toBe(80);
    expect(text).not.toMatch(/\*\*|`/u);

    tmux('send-keys', '-t', 'chat', 'clear', 'Enter');
    // The visible screen holds the prompt alone; "clear" was not taken for a question about a step.
    await until(() => tmux('capture-pane', '-p', '-t', 'chat').stdout.trim() === '>', 'a clear screen');
  }, 60_000);
});
