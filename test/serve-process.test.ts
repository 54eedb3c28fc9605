import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { BIN, killServed, serve as serveWith } from './helpers/serve.ts';
import { startFakeSlackApi, type FakeSlackApi } from './helpers/fake-slack-api.ts';
import { eventBody, sendSigned, SIGNING_SECRET } from './helpers/slack.ts';

// These tests need a process of their own: signals, exit codes and what reaches stderr.
const PASTE = 'Error 34506. The encryption passphrase stored on this computer is not correctly configured.';
/** The SQLite store of these processes: a directory of the test's own. */
const DATA_DIR = mkdtempSync(join(tmpdir(), 'bt-serve-'));
afterAll(() => rmSync(DATA_DIR, { recursive: true, force: true }));
const serve = (env: Record<string, string>, command?: string[]) => serveWith({ DATA_DIR, ...env }, command);

let api: FakeSlackApi | undefined;
const children: ChildProcessWithoutNullStreams[] = [];

afterEach(async () => {
  killServed();
  for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await api?.close();
  api = undefined;
});

describe('backup-triage serve, as a process', () => {
  it('stops with one line naming SLACK_BOT_TOKEN and exit code 1 when Slack rejects the token', async () => {
    api = await startFakeSlackApi({ auth: { ok: false, error: 'token_revoked' } });
    const child = spawn(process.execPath, [BIN, 'serve'], {
      env: { PATH: process.env.PATH, PORT: '0', DATA_DIR, SLACK_BOT_TOKEN: 'xoxb-revoked', SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: api.url },
      stdio: 'pipe',
    });
    children.push(child);
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += String(d)));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code).toBe(1);
    expect(stderr.trim().split('\n')).toEqual([expect.stringMatching(/^backup-triage: SLACK_BOT_TOKEN was rejected by Slack \(token_revoked\): /u)]);
  }, 60_000);

  it('reads ./.env, and a variable set in the environment wins over it', async () => {
    const dir = mkdtempSync(join(DATA_DIR, 'env-'));
    writeFileSync(join(dir, '.env'), '# the settings\nLOG_LEVEL=chatty\n');
    const run = (env: Record<string, string>) => spawnSync(process.execPath, [BIN, 'serve'], { cwd: dir, env: { PATH: process.env.PATH, DATA_DIR, ...env }, encoding: 'utf8', timeout: 30_000 });
    const fromFile = run({});
    expect(fromFile.status).toBe(1);
    expect(fromFile.stderr).toMatch(/LOG_LEVEL/u);
    const overridden = run({ LOG_LEVEL: 'silent', PORT: '70000' });
    expect(overridden.status).toBe(1);
    expect(overridden.stderr).not.toMatch(/LOG_LEVEL/u);
    expect(overridden.stderr).toMatch(/PORT/u);
  }, 60_000);

  it('stops with one line naming DATA_DIR and exit code 1 when the directory cannot hold the database', async () => {
    const file = join(DATA_DIR, 'not-a-directory');
    writeFileSync(file, 'a file where the data directory should be');
    const child = spawn(process.execPath, [BIN, 'serve'], { env: { PATH: process.env.PATH, PORT: '0', HOST: '127.0.0.1', DATA_DIR: join(file, 'data') }, stdio: 'pipe' });
    children.push(child);
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += String(d)));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code).toBe(1);
    expect(stderr.trim().split('\n')).toEqual([expect.stringMatching(/^backup-triage: DATA_DIR \(.+\) can't hold the database \(ENOTDIR/u)]);
  }, 60_000);

  it('on SIGTERM finishes the answers in flight, posts them all, and exits at once', async () => {
    api = await startFakeSlackApi({ postDelayMs: 1500 });
    const { child, url, exited } = await serve({ SLACK_BOT_TOKEN: 'xoxb-test', SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: api.url });
    for (const i of [1, 2, 3]) {
      const event = eventBody({ type: 'message', channel: 'C1', channel_type: 'channel', user: 'U1', text: PASTE, ts: `1700000200.00000${i}` });
      expect((await sendSigned(url, event)).status).toBe(200);
    }
    child.kill('SIGTERM');
    const { code, at } = await exited;
    expect(code).toBe(0);
    expect(api.posts.map((p) => p.thread_ts).sort()).toEqual(['1700000200.000001', '1700000200.000002', '1700000200.000003']);
    // The answers took 1.5 s; the drain limit is 10 s. Exiting soon after the last post shows
    // that no timer held the process.
    expect(at - Math.max(...api.postedAt)).toBeLessThan(2000);
  }, 60_000);

  it('stops when `npx backup-triage serve` is stopped, with no server left behind', async () => {
    const { child, url } = await serve({}, ['npx', '--no-install', 'backup-triage', 'serve']);
    expect((await fetch(`${url}/livez`)).status).toBe(200);
    child.kill('SIGTERM');
    await expect.poll(async () => (await fetch(`${url}/livez`).catch(() => undefined))?.status, { timeout: 15_000, interval: 200 }).toBeUndefined();
  }, 90_000);
});

/** A network namespace of this test's own, with a non-loopback address: undefined where none can be made. */
function makeNamespace(): { name: string; address: string; exec: string[]; remove: () => void } | undefined {
  const name = `bt-test-${process.pid}`;
  const address = '192.0.2.1';
  const steps = [
    ['netns', 'add', name],
    ['-n', name, 'link', 'set', 'lo', 'up'],
    ['-n', name, 'link', 'add', 'bt0', 'type', 'veth', 'peer', 'name', 'bt1'],
    ['-n', name, 'addr', 'add', `${address}/24`, 'dev', 'bt0'],
    ['-n', name, 'link', 'set', 'bt0', 'up'],
    ['-n', name, 'link', 'set', 'bt1', 'up'],
  ];
  const remove = () => void spawnSync('ip', ['netns', 'del', name]);
  for (const step of steps) {
    if (spawnSync('ip', step, { stdio: 'ignore' }).status !== 0) {
      remove();
      return undefined;
    }
  }
  return { name, address, exec: ['ip', 'netns', 'exec', name], remove };
}

const namespace = makeNamespace();

describe.skipIf(!namespace)('local Teams mode, seen from another address', () => {
  afterAll(() => namespace?.remove());

  it('refuses a caller that is not on loopback, and serves one that is', async () => {
    const ns = namespace!;
    // The server listens on every interface of the namespace; the caller connects to its
    // non-loopback address, so the request arrives from that address.
    const { url } = await serve({ HOST: '0.0.0.0' }, [...ns.exec, process.execPath, BIN, 'serve']);
    const port = new URL(url).port;
    const call = (host: string) =>
      spawnSync(...inNamespace(ns.exec, `fetch("http://${host}:${port}/api/messages",{method:"POST",headers:{"content-type":"application/json"},body:"{}"}).then(r=>console.log(r.status))`));
    expect(call(ns.address).stdout.trim()).toBe('403');
    expect(call('127.0.0.1').stdout.trim()).toBe('400');
  }, 60_000);
});

function inNamespace(exec: string[], script: string): [string, string[], { encoding: 'utf8'; timeout: number }] {
  return [exec[0]!, [...exec.slice(1), process.execPath, '-e', script], { encoding: 'utf8', timeout: 20_000 }];
}
