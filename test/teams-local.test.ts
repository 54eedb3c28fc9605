import nock from 'nock';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { isLoopbackAddress, isLoopbackUrl } from '../src/adapters/teams/endpoint.ts';
import type { ServeConfig } from '../src/server/config.ts';
import { startBot } from '../src/compose.ts';
import type { RunningServer } from '../src/server/serve.ts';
import { sharedBot } from './helpers/bot.ts';
import { loopbackOnly } from './helpers/network.ts';
import { API, logSink, noWait, SIGNING_SECRET } from './helpers/slack.ts';
import { activity, fakeConnector, post, targeted } from './helpers/teams.ts';

const PASTE = 'Error 34506. The encryption passphrase stored on this computer is not correctly configured.';

let server: RunningServer | undefined;

loopbackOnly();
afterEach(async () => {
  await server?.stop();
  server = undefined;
  nock.cleanAll();
  vi.restoreAllMocks();
});

async function start(config: Partial<ServeConfig>, logger = logSink().logger): Promise<RunningServer> {
  server = await startBot({ config: { port: 0, host: '127.0.0.1', logLevel: 'info', teams: { mode: 'local' }, ...config }, logger, engine: sharedBot(), sleep: noWait().sleep });
  await server.ready;
  return server;
}

describe('which platform routes exist', () => {
  it('a Slack-only configuration answers 404 on /api/messages', async () => {
    nock(API).persist().post('/api/auth.test').reply(200, { ok: true, user_id: 'UBOT', bot_id: 'BBOT' });
    const { url } = await start({ teams: { mode: 'off' }, slack: { botToken: 'xoxb-test', signingSecret: SIGNING_SECRET, passive: true } });
    const res = await post(url, activity(PASTE));
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: 'not found' });
  });

  it('a Teams-only configuration answers 404 on /slack/events', async () => {
    const { url } = await start({ teams: { mode: 'local' } });
    expect((await fetch(`${url}/slack/events`, { method: 'POST', body: '{}' })).status).toBe(404);
  });
});

describe('Teams in local mode (no credentials)', () => {
  it('refuses an activity whose serviceUrl is not on this machine, and posts nothing anywhere', async () => {
    const outside = nock('https://smba.trafficmanager.net').post(/.*/u).reply(200, { id: 'x' });
    const connector = fakeConnector();
    const { url } = await start({});
    const res = await post(url, activity(PASTE, { serviceUrl: 'https://smba.trafficmanager.net/emea/' }));
    expect(res.status).toBe(403);
    expect(outside.isDone()).toBe(false);
    expect(connector.sent).toEqual([]);
  });

  it('answers an activity whose serviceUrl is on this machine', async () => {
    const connector = fakeConnector();
    const { url } = await start({});
    expect((await post(url, activity(PASTE))).status).toBe(200);
    expect(connector.sent).toHaveLength(1);
  });

  it('tells loopback callers and serviceUrls from the rest', () => {
    for (const address of ['127.0.0.1', '127.8.9.10', '::1', '::ffff:127.0.0.1']) expect(isLoopbackAddress(address)).toBe(true);
    for (const address of ['10.0.0.5', '192.0.2.1', '::ffff:192.0.2.1', 'fe80::1', '0.0.0.0', '', undefined]) expect(isLoopbackAddress(address)).toBe(false);
    for (const url of ['http://localhost:56150/', 'http://127.0.0.1:3978/x', 'http://[::1]:80/']) expect(isLoopbackUrl(url)).toBe(true);
    for (const url of ['https://smba.trafficmanager.net/amer/', 'http://localhost.evil.example/', 'http://127.0.0.1.nip.io/', 'not a url']) expect(isLoopbackUrl(url)).toBe(false);
  });

  it('says so in the start-up log, with the address really bound', async () => {
    const logs = logSink();
    const { address } = await start({}, logs.logger);
    const lines = logs.lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(address).toMatch(/^127\.0\.0\.1:\d+$/u);
    expect(lines).toContainEqual(expect.objectContaining({ msg: 'backup-triage is listening', address }));
    expect(lines.some((l) => /local mode/u.test(String(l.msg)) && /loopback/u.test(String(l.msg)))).toBe(true);
  });
});

describe('Teams activities with fields of the wrong type', () => {
  it.each([
    ['text as an object', { text: { html: 'x' } }],
    ['text as an array', { text: ['Error', '34506'] }],
    ['from.id as a number', { from: { id: 42 } }],
    ['entities that are not objects', { entities: ['x', null, 3] }],
    ['value as a string', { value: 'more_causes' }],
  ])('%s: a polite reply, no crash', async (_name, fields) => {
    const connector = fakeConnector();
    const logs = logSink();
    const { url } = await start({}, logs.logger);
    const res = await post(url, activity('', fields));
    expect(res.status).toBe(200);
    expect(connector.sent).toHaveLength(1);
    expect(JSON.stringify(connector.sent[0]!.body)).toContain('Your message is empty.');
    expect(logs.lines.filter((l) => JSON.parse(l).level >= 50)).toEqual([]);
    expect((await post(url, activity(PASTE))).status).toBe(200);
  });

  it.each([
    ['no conversation', { conversation: undefined }],
    ['a conversation id that is a number', { conversation: { id: 7 } }],
    ['no serviceUrl', { serviceUrl: undefined }],
  ])('%s: 400, nothing sent', async (_name, fields) => {
    const connector = fakeConnector();
    const { url } = await start({});
    expect((await post(url, activity(PASTE, fields))).status).toBe(400);
    expect(connector.sent).toEqual([]);
  });
});

describe('Teams with credentials: refusals', () => {
  it('answers 401 with a generic body, and nothing reaches the console', async () => {
    const stderr = vi.spyOn(process.stderr, 'write');
    const stdout = vi.spyOn(process.stdout, 'write');
    const consoleError = vi.spyOn(console, 'error');
    const consoleWarn = vi.spyOn(console, 'warn');
    const logs = logSink();
    await start({ teams: { mode: 'authenticated', appId: '00000000-0000-0000-0000-0000000000b1', appPassword: 'secret', appType: 'MultiTenant' } }, logs.logger);
    const res = await post(server!.url, activity(PASTE), { authorization: 'Bearer not-a-token' });
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ error: 'unauthorized' });
    const none = await post(server!.url, activity(PASTE));
    expect(none.status).toBe(401);
    expect(await none.json()).toEqual({ error: 'unauthorized' });
    for (const spy of [stderr, stdout, consoleError, consoleWarn]) expect(spy).not.toHaveBeenCalled();
    expect(logs.lines.join('')).not.toMatch(/\n\s+at /u);
  });
});

describe('Teams replies that hang', () => {
  it('give up after the call timeout: the turn ends and the loss is logged with its conversation', async () => {
    const { createServer } = await import('node:http');
    const hung = createServer(() => undefined); // takes the request, never answers
    await new Promise<void>((resolve) => hung.listen(0, '127.0.0.1', resolve));
    const port = (hung.address() as { port: number }).port;
    const logs = logSink();
    server = await startBot({ config: { port: 0, host: '127.0.0.1', logLevel: 'info', teams: { mode: 'local' } }, logger: logs.logger, engine: sharedBot(), sleep: noWait().sleep, callTimeoutMs: 300 });
    await server.ready;
    try {
      const res = await post(server.url, activity(PASTE, { serviceUrl: `http://127.0.0.1:${port}/amer/`, id: 'act-hung' }));
      expect(res.status).toBe(200);
      // A targeted message (the / menu) goes out on a call of its own, with the same timeout.
      const slash = await post(server.url, targeted(`diagnose ${PASTE}`, { serviceUrl: `http://127.0.0.1:${port}/amer/`, id: 'act-hung-targeted' }));
      expect(slash.status).toBe(200);
      const lost = logs.lines.map((l) => JSON.parse(l)).filter((l) => /^reply lost/u.test(l.msg));
      expect(lost).toEqual([
        expect.objectContaining({ platform: 'teams', conversation: 'a:personal-1', messageId: 'act-hung' }),
        expect.objectContaining({ platform: 'teams', conversation: '19:group-1@thread.v2', messageId: 'act-hung-targeted' }),
      ]);
    } finally {
      hung.closeAllConnections();
      hung.close();
    }
  });
});
