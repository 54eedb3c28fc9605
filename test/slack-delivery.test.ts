import nock from 'nock';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../src/server/config.ts';
import { startBot } from '../src/compose.ts';
import type { RunningServer } from '../src/server/serve.ts';
import { sharedBot } from './helpers/bot.ts';
import { loopbackOnly } from './helpers/network.ts';
import { API, eventBody, logSink, noWait, sendSigned, SIGNING_SECRET, startSlackServer } from './helpers/slack.ts';

const PASTE = 'Error 34506. The encryption passphrase stored on this computer is not correctly configured.';
const AUTH = { ok: true, user_id: 'UBOT', bot_id: 'BBOT', team_id: 'T1' };

let server: RunningServer | undefined;

loopbackOnly();
afterEach(async () => {
  await server?.stop();
  server = undefined;
  nock.cleanAll();
});

function message(ts: string, extra: Record<string, unknown> = {}) {
  return { type: 'message', channel: 'C1', channel_type: 'channel', user: 'U1', text: PASTE, ts, ...extra };
}

/** The Web API: auth.test and users.info answer; chat.postMessage answers as `replies` say, in turn. */
function webApi(replies: ((body: Record<string, unknown>) => [number, unknown, Record<string, string>?] | 'timeout')[]) {
  const posts: Record<string, unknown>[] = [];
  nock(API).persist().post('/api/auth.test').reply(200, AUTH).post('/api/users.info').reply(200, { ok: true, user: { id: 'U1', locale: 'en-US' } });
  const scope = nock(API);
  for (const reply of replies) {
    const interceptor = scope.post('/api/chat.postMessage');
    let body: Record<string, unknown> = {};
    const answer = (_uri: string, raw: unknown) => {
      body = typeof raw === 'string' ? (Object.fromEntries(new URLSearchParams(raw)) as Record<string, unknown>) : (raw as Record<string, unknown>);
      posts.push(body);
      const r = reply(body);
      return r === 'timeout' ? [200, { ok: true, ts: '1700000000.999999' }] : r;
    };
    if (reply({}) === 'timeout') interceptor.delay(2_000).reply(answer as never);
    else interceptor.reply(answer as never);
  }
  // Any post past those is recorded too: a reply posted twice would show.
  nock(API)
    .persist()
    .post('/api/chat.postMessage')
    .reply(200, (_uri, raw) => {
      posts.push(typeof raw === 'string' ? Object.fromEntries(new URLSearchParams(raw)) : (raw as Record<string, unknown>));
      return { ok: true, ts: '1700000000.888888' };
    });
  return { posts };
}

/** The marker a post carried in its metadata. */
function markerOf(body: Record<string, unknown>): string {
  const metadata = typeof body.metadata === 'string' ? JSON.parse(body.metadata) : body.metadata;
  return (metadata as { event_payload: { reply: string } }).event_payload.reply;
}

describe('Slack replies that Slack refused or lost', () => {
  it('waits out a 429 Retry-After, backs off after a 429 without one and after a 503, and posts once', async () => {
    const { posts } = webApi([
      () => [429, { ok: false, error: 'ratelimited' }, { 'Retry-After': '7' }],
      () => [429, { ok: false, error: 'ratelimited' }],
      () => [200, { ok: false, error: 'service_unavailable' }],
      () => [200, { ok: true, ts: '1700000000.000009' }],
    ]);
    const clock = noWait();
    server = await startSlackServer(sharedBot(), {}, logSink().logger, clock.sleep);
    await sendSigned(server.url, eventBody(message('1700000020.000100')));
    await server.http.tracker.drain(10_000);
    expect(posts).toHaveLength(4);
    expect(clock.waits).toEqual([7000, 1000, 2000]);
    expect(new Set(posts.map(markerOf)).size).toBe(1); // one reply, tried four times
  });

  it('after a 500 looks in the thread first, and does not post again when the reply is there', async () => {
    let marker = '';
    const { posts } = webApi([
      (body) => {
        if (body.metadata) marker = markerOf(body);
        return [500, 'upstream error'];
      },
    ]);
    const lookup = nock(API)
      .post('/api/conversations.replies')
      .reply(200, () => ({ ok: true, messages: [{ ts: '1700000021.000100' }, { ts: '1700000021.000200', metadata: { event_type: 'backup_triage_reply', event_payload: { reply: marker } } }] }));
    server = await startSlackServer(sharedBot());
    await sendSigned(server.url, eventBody(message('1700000021.000100')));
    await server.http.tracker.drain(10_000);
    expect(lookup.isDone()).toBe(true);
    expect(posts).toHaveLength(1);
  });

  it('after a timeout looks in the thread, and posts again only when the reply is not there', async () => {
    const { posts } = webApi([() => 'timeout', () => [200, { ok: true, ts: '1700000022.000300' }]]);
    const lookups = nock(API).post('/api/conversations.replies').reply(200, { ok: true, messages: [{ ts: '1700000022.000100' }] });
    server = await startBot({
      config: { port: 0, host: '127.0.0.1', logLevel: 'silent', teams: { mode: 'off' }, slack: { botToken: 'xoxb-test', signingSecret: SIGNING_SECRET, passive: true } },
      logger: logSink().logger,
      engine: sharedBot(),
      sleep: noWait().sleep,
      callTimeoutMs: 200,
    });
    await server.ready;
    await sendSigned(server.url, eventBody(message('1700000022.000100')));
    await server.http.tracker.drain(10_000);
    expect(lookups.isDone()).toBe(true);
    expect(posts).toHaveLength(2);
  });

  it('logs one line naming the platform, channel, thread and message of a reply that is lost', async () => {
    webApi([() => [200, { ok: false, error: 'channel_not_found' }]]);
    const logs = logSink();
    server = await startSlackServer(sharedBot(), {}, logs.logger);
    await sendSigned(server.url, eventBody(message('1700000023.000100')));
    await server.http.tracker.drain(10_000);
    const lost = logs.lines.map((l) => JSON.parse(l)).filter((l) => /^reply lost/u.test(l.msg));
    expect(lost).toEqual([expect.objectContaining({ level: 50, platform: 'slack', channel: 'C1', thread: '1700000023.000100', messageId: '1700000023.000100', err: 'channel_not_found' })]);
  });
});

describe('Slack payloads with fields of the wrong type', () => {
  it('ignores them without a crash or an error line, and keeps answering', async () => {
    const { posts } = webApi([0, 1, 2].map(() => () => [200, { ok: true, ts: '1700000024.000900' }]));
    const logs = logSink();
    server = await startSlackServer(sharedBot(), {}, logs.logger);
    for (const bad of [{ text: { a: 1 } }, { text: ['x'] }, { user: 42 }, { channel: null }, { ts: { t: 1 } }, { thread_ts: [1], text: 'Error 34506' }]) {
      const res = await sendSigned(server.url, eventBody(message('1700000024.000100', bad)));
      expect(res.status).toBe(200);
    }
    await sendSigned(server.url, eventBody({ type: 'app_mention', channel: 'C1', user: 'U1', text: { not: 'text' }, ts: '1700000024.000200' }));
    await sendSigned(server.url, eventBody(message('1700000024.000300')));
    await server.http.tracker.drain(10_000);
    // A paste whose thread_ts is mistyped is answered as a paste; the mention without text gets the
    // polite reply to an empty message; the last paste its answer.
    const byThread = Object.fromEntries(posts.map((p) => [String(p.thread_ts), String(p.text)]));
    expect(Object.keys(byThread).sort()).toEqual(['1700000024.000100', '1700000024.000200', '1700000024.000300']);
    expect(byThread['1700000024.000100']).toContain('Encryption passphrase not correctly configured');
    expect(byThread['1700000024.000200']).toContain('Your message is empty.');
    expect(byThread['1700000024.000300']).toContain('Encryption passphrase not correctly configured');
    expect(logs.lines.filter((l) => JSON.parse(l).level >= 50)).toEqual([]);
  });
});

describe('Slack at start-up', () => {
  it('is alive at once, ready only once auth.test passes, and retries an unreachable API with backoff', async () => {
    nock(API).post('/api/auth.test').replyWithError({ code: 'ECONNREFUSED', message: 'connect ECONNREFUSED' }).post('/api/auth.test').reply(503, 'down').post('/api/auth.test').reply(200, AUTH);
    const waits: number[] = [];
    const releases: (() => void)[] = [];
    const sleep = (ms: number) => {
      waits.push(ms);
      return new Promise<void>((resolve) => releases.push(resolve));
    };
    server = await startBot({
      config: { port: 0, host: '127.0.0.1', logLevel: 'silent', teams: { mode: 'off' }, slack: { botToken: 'xoxb-test', signingSecret: SIGNING_SECRET, passive: true } },
      logger: logSink().logger,
      engine: sharedBot(),
      sleep,
    });
    const url = server.url;
    expect((await fetch(`${url}/livez`)).status).toBe(200);
    await expect.poll(() => waits.length, { timeout: 10_000 }).toBe(1);
    const starting = await fetch(`${url}/readyz`);
    expect(starting.status).toBe(503);
    expect(await starting.json()).toMatchObject({ status: 'starting', waiting: ['slack'] });
    expect((await sendSigned(url, eventBody(message('1700000025.000100')))).status).toBe(503);
    releases.shift()!();
    await expect.poll(() => waits.length, { timeout: 10_000 }).toBe(2);
    expect((await fetch(`${url}/readyz`)).status).toBe(503);
    releases.shift()!();
    await server.ready;
    expect(waits).toEqual([1000, 2000]);
    const ready = await fetch(`${url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: 'ready', waiting: [] });
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
  });

  it('stops the start when Slack rejects the token, naming SLACK_BOT_TOKEN', async () => {
    for (const error of ['invalid_auth', 'token_revoked', 'account_inactive', 'not_authed']) {
      nock(API).post('/api/auth.test').reply(200, { ok: false, error });
      const started = await startBot({
        config: { port: 0, host: '127.0.0.1', logLevel: 'silent', teams: { mode: 'off' }, slack: { botToken: 'xoxb-test', signingSecret: SIGNING_SECRET, passive: true } },
        logger: logSink().logger,
        engine: sharedBot(),
        sleep: noWait().sleep,
      });
      await expect(started.ready).rejects.toThrow(ConfigError);
      await expect(started.ready).rejects.toThrow(new RegExp(`^SLACK_BOT_TOKEN was rejected by Slack \\(${error}\\)`, 'u'));
      await started.stop();
    }
  });
});
