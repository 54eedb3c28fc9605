import { createHmac } from 'node:crypto';
import { Writable } from 'node:stream';
import nock from 'nock';
import type { Engine } from '../../src/core/engine.ts';
import type { SlackConfig } from '../../src/server/config.ts';
import { createLogger } from '../../src/server/logger.ts';
import { startBot } from '../../src/compose.ts';
import type { RunningServer } from '../../src/server/serve.ts';

export const SIGNING_SECRET = 'test-signing-secret-0123456789';
export const API = 'https://slack.com';

/** Slack's request signature: v0=HMAC-SHA256("v0:{timestamp}:{body}"). */
export function sign(body: string, timestamp: number, secret = SIGNING_SECRET): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
}

export interface Posted {
  method: string;
  body: Record<string, unknown>;
}

/** A Web API request body as an object: JSON, or form fields with JSON values decoded. */
function parseBody(raw: unknown): Record<string, unknown> {
  if (raw && typeof raw === 'object') return raw as Record<string, unknown>;
  const text = String(raw ?? '');
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch {
    const out: Record<string, unknown> = {};
    for (const [k, v] of new URLSearchParams(text)) {
      try {
        out[k] = v.startsWith('[') || v.startsWith('{') ? JSON.parse(v) : v;
      } catch {
        out[k] = v;
      }
    }
    return out;
  }
}

/** The fake Web API: auth.test and users.info answer; every other call is recorded. */
export function fakeWebApi(options: { locale?: string; usersInfoDelayMs?: number; base?: string; prefix?: string } = {}) {
  const calls: Posted[] = [];
  const prefix = options.prefix ?? '/api';
  const scope = nock(options.base ?? API)
    .persist()
    .post(`${prefix}/auth.test`)
    .reply(200, { ok: true, url: 'https://t.slack.com/', team: 'T', user: 'backup-triage', team_id: 'T1', user_id: 'UBOT', bot_id: 'BBOT' })
    .post(`${prefix}/users.info`)
    .delay(options.usersInfoDelayMs ?? 0)
    .reply(200, (_uri, body) => ({ ok: true, user: { id: String(parseBody(body).user), locale: options.locale ?? 'en-US' } }))
    .post((uri) => /\/chat\.(postMessage|postEphemeral|update)$/u.test(uri))
    .reply(200, (uri, body) => {
      calls.push({ method: uri.replace(`${prefix}/`, ''), body: parseBody(body) });
      return { ok: true, channel: 'C1', ts: `1700000000.${String(calls.length).padStart(6, '0')}` };
    });
  return { calls, scope };
}

/** Log lines written by the server, for checking what a log holds. */
export function logSink() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return { lines, logger: createLogger('info', stream) };
}

/** Waits that return at once, and the waits that were asked for. */
export function noWait() {
  const waits: number[] = [];
  return { waits, sleep: async (ms: number) => void waits.push(ms) };
}

/** The server with Slack over HTTP on 127.0.0.1, ready (auth.test passed); retries don't wait. */
export async function startSlackServer(engine: Engine, slack: Partial<SlackConfig> = {}, logger = logSink().logger, sleep = noWait().sleep): Promise<RunningServer> {
  const server = await startBot({
    config: { port: 0, logLevel: 'info', host: '127.0.0.1', teams: { mode: 'off' }, slack: { botToken: 'xoxb-test-token', signingSecret: SIGNING_SECRET, passive: true, ...slack } },
    logger,
    engine,
    sleep,
  });
  await server.ready;
  return server;
}

/** POSTs a signed request to /slack/events, as Slack would. */
export async function sendSigned(
  url: string,
  body: string,
  options: { contentType?: string; timestamp?: number; signature?: string; headers?: Record<string, string> } = {},
): Promise<Response> {
  const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
  return fetch(`${url}/slack/events`, {
    method: 'POST',
    headers: {
      'content-type': options.contentType ?? 'application/json',
      'x-slack-request-timestamp': String(timestamp),
      'x-slack-signature': options.signature ?? sign(body, timestamp),
      ...options.headers,
    },
    body,
  });
}

export function eventBody(event: Record<string, unknown>, eventId = `Ev${Math.random().toString(36).slice(2, 10)}`): string {
  return JSON.stringify({ token: 'x', team_id: 'T1', api_app_id: 'A1', type: 'event_callback', event_id: eventId, event_time: 1700000000, event });
}

export function formBody(fields: Record<string, string>): string {
  return new URLSearchParams(fields).toString();
}
