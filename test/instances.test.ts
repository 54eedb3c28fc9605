import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startFakeSlackApi, type FakeSlackApi } from './helpers/fake-slack-api.ts';
import { redisMissing, startRedis, type RedisServer } from './helpers/redis-server.ts';
import { BIN, killServed, serve, type ServeProcess } from './helpers/serve.ts';
import { eventBody, sendSigned, SIGNING_SECRET } from './helpers/slack.ts';

// Real `serve` processes: state shared through Redis, or kept in SQLite across a restart.
const PASTE = 'Error 34506. The encryption passphrase stored on this computer is not correctly configured.';
const FOLLOW_UP = 'what does step 1 mean?';
const missing = redisMissing();

let api: FakeSlackApi;
let redis: RedisServer | undefined;
const dirs: string[] = [];
const dataDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'bt-instances-'));
  dirs.push(dir);
  return dir;
};

beforeAll(async () => {
  if (!missing) redis = await startRedis();
}, 20_000);
afterAll(async () => {
  await redis?.stop();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});
afterEach(async () => {
  killServed();
  await api?.close();
});

const slackEnv = () => ({ SLACK_BOT_TOKEN: 'xoxb-test', SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: api.url });
let seq = 0;
const nextTs = () => `1700001000.${String((seq += 1)).padStart(6, '0')}`;
const paste = (ts: string, text = PASTE) => eventBody({ type: 'message', channel: 'C1', channel_type: 'channel', user: 'U1', text, ts }, `Ev${ts}`);
const followUp = (root: string, ts: string) => eventBody({ type: 'message', channel: 'C1', channel_type: 'channel', user: 'U1', text: FOLLOW_UP, ts, thread_ts: root });
const dm = (ts: string, text: string) => eventBody({ type: 'message', channel: 'D1', channel_type: 'im', user: 'U1', text, ts });
const postsIn = (thread: string) => api.posts.filter((p) => p.thread_ts === thread);
/** Lets answers in flight reach the fake Slack API. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 1500));

async function answeredThenFollowedUp(first: ServeProcess, second: ServeProcess) {
  const root = nextTs();
  expect((await sendSigned(first.url, paste(root))).status).toBe(200);
  await expect.poll(() => postsIn(root).length, { timeout: 10_000 }).toBe(1);
  expect(String(postsIn(root)[0]!.text)).toMatch(/passphrase/iu);
  await retriedThenFollowedUp(second, root);
}

/**
 * Slack retries the event answered in `root`, this time to `where` (another instance, or the one
 * that restarted); then a follow-up without a mention, answered only where the context is known.
 * The retry must get no second answer, and the follow-up must be answered from the thread.
 */
async function retriedThenFollowedUp(where: ServeProcess, root: string) {
  expect((await sendSigned(where.url, paste(root), { headers: { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' } })).status).toBe(200);
  expect((await sendSigned(where.url, followUp(root, nextTs()))).status).toBe(200);
  await expect.poll(() => postsIn(root).length, { timeout: 10_000 }).toBe(2);
  await settle();
  expect(postsIn(root)).toHaveLength(2);
  expect(String(postsIn(root)[1]!.text)).toMatch(/step 1/iu);
}

describe.skipIf(missing !== undefined)('two instances sharing a real Redis', () => {
  it('answer a Slack retry that reaches the other instance once, and a follow-up there with the thread context', async () => {
    api = await startFakeSlackApi();
    const env = { ...slackEnv(), REDIS_URL: redis!.url };
    const [a, b] = await Promise.all([serve(env), serve(env)]);
    await answeredThenFollowedUp(a, b);
  }, 60_000);

  it('keep the context across a restart', async () => {
    api = await startFakeSlackApi();
    const env = { ...slackEnv(), REDIS_URL: redis!.url };
    const before = await serve(env);
    const root = nextTs();
    expect((await sendSigned(before.url, paste(root))).status).toBe(200);
    await expect.poll(() => postsIn(root).length, { timeout: 10_000 }).toBe(1);
    await before.stop();
    await retriedThenFollowedUp(await serve(env), root);
  }, 60_000);

  it('keep answering while Redis is down, say so in /readyz, and have context again once it is back', async () => {
    api = await startFakeSlackApi();
    const one = await serve({ ...slackEnv(), REDIS_URL: redis!.url });
    await redis!.stop();
    try {
      const during = nextTs();
      const started = Date.now();
      const ack = await sendSigned(one.url, paste(during));
      expect(ack.status).toBe(200);
      expect(Date.now() - started).toBeLessThan(3000);
      await expect.poll(() => postsIn(during).length, { timeout: 10_000 }).toBe(1);
      const ready = await fetch(`${one.url}/readyz`);
      expect(ready.status).toBe(200);
      expect(await ready.json()).toMatchObject({ status: 'ready', store: { store: 'redis', ok: false } });
    } finally {
      await redis!.start();
    }
    await expect.poll(async () => ((await (await fetch(`${one.url}/readyz`)).json()) as { store: { ok: boolean } }).store.ok, { timeout: 15_000, interval: 300 }).toBe(true);
    await answeredThenFollowedUp(one, one);
    expect(one.child.exitCode).toBeNull();
  }, 60_000);
});

describe('one instance on SQLite', () => {
  it('keeps the context and the de-duplication across a restart', async () => {
    api = await startFakeSlackApi();
    const env = { ...slackEnv(), DATA_DIR: dataDir() };
    const before = await serve(env);
    const root = nextTs();
    expect((await sendSigned(before.url, paste(root))).status).toBe(200);
    await expect.poll(() => postsIn(root).length, { timeout: 10_000 }).toBe(1);
    await before.stop();
    const after = await serve(env);
    await retriedThenFollowedUp(after, root);
  }, 60_000);

  it('counts messages, outcomes and timings at /metrics, and `report --json` lists what went unanswered', async () => {
    api = await startFakeSlackApi();
    const dir = dataDir();
    const one = await serve({ ...slackEnv(), DATA_DIR: dir });
    const unanswered = 'our tape library robot keeps dropping cartridges during the weekly full job';
    const [answered, nothing] = [nextTs(), nextTs()];
    await sendSigned(one.url, dm(answered, PASTE));
    await sendSigned(one.url, dm(nothing, unanswered));
    await expect.poll(() => api.posts.filter((p) => p.channel === 'D1').length, { timeout: 10_000 }).toBe(2);
    const metrics = await (await fetch(`${one.url}/metrics`)).text();
    expect(metrics).toMatch(/^backup_triage_messages_total\{platform="slack",outcome="answered",language="en"\} 1$/mu);
    expect(metrics).toMatch(/^backup_triage_messages_total\{platform="slack",outcome="no-match",language="en"\} 1$/mu);
    expect(metrics).toMatch(/^backup_triage_engine_seconds_count\{platform="slack"\} 2$/mu);
    expect(metrics).toMatch(/^backup_triage_ack_seconds_count\{platform="slack"\} [2-9]$/mu);
    expect(metrics).toMatch(/^process_resident_memory_bytes \d+/mu);
    const report = spawnSync(process.execPath, [BIN, 'report', '--json', '--since', '1h'], { env: { PATH: process.env.PATH, DATA_DIR: dir }, encoding: 'utf8' });
    expect(report.status).toBe(0);
    const parsed = JSON.parse(report.stdout) as { messages: number; unanswered: { count: number; text: string }[]; answerRate: unknown[] };
    expect(parsed.messages).toBe(2);
    expect(parsed.unanswered).toEqual([expect.objectContaining({ count: 1, text: unanswered })]);
    expect(parsed.answerRate).toEqual([{ platform: 'slack', language: 'en', messages: 2, answered: 1, rate: 0.5 }]);
  }, 60_000);
});
