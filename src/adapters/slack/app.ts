import { randomUUID } from 'node:crypto';
import { App, ExpressReceiver, LogLevel } from '@slack/bolt';
import { WebClient, type WebClientOptions } from '@slack/web-api';
import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import { z } from 'zod';
import type { Action } from '../../core/answer/actions.ts';
import type { Answer, IncomingMessage, Mode } from '../../core/answer/model.ts';
import type { Engine } from '../../core/engine.ts';
import { STRINGS } from '../../core/i18n/strings.ts';
import { languageFromLocale } from '../../core/language/detect.ts';
import { ConfigError, type SlackConfig } from '../../server/config.ts';
import { BODY_LIMIT_BYTES, type Tracker } from '../../server/http.ts';
import type { Logger } from '../../server/logger.ts';
import type { PlatformFactory } from '../../server/platform.ts';
import { backoff, CALL_TIMEOUT_MS, RETRY_BUDGET_MS, sleep as realSleep, type Sleep } from '../../server/retry.ts';
import { httpFetch } from '../../server/http-client.ts';
import type { Metrics } from '../../server/metrics.ts';
import { MemoryStore } from '../../store/memory.ts';
import type { Store } from '../../store/store.ts';
import { runTurn } from '../turn.ts';
import { ACTION_PATTERN, actionOf, renderSlack, spendButton, type SlackMessage } from './blocks.ts';

export const SLASH_COMMAND = '/backup-triage';
export const SHORTCUT_ID = 'diagnose_message';
export const EVENTS_PATH = '/slack/events';

/** How long a message id is remembered, to answer it once across retries and event types. */
const SEEN_TTL_MS = 60 * 60 * 1000;
const LOCALE_TTL_MS = 60 * 60 * 1000;
/** Errors that mean Slack refused the token itself: retrying can't help, the setting is wrong. */
const REJECTED_TOKEN = new Set(['invalid_auth', 'token_revoked', 'token_expired', 'account_inactive', 'not_authed', 'not_allowed_token_type']);
/** `ok: false` errors after which nothing was posted: a retry can't post twice. */
const REFUSED = new Set(['ratelimited', 'service_unavailable']);
/** `ok: false` errors after which the message may have been posted all the same. */
const UNSURE = new Set(['internal_error', 'fatal_error', 'request_timeout']);
/** Network errors that happen before a request reaches Slack. */
const UNREACHED = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ENETUNREACH', 'EHOSTUNREACH']);
/** Marks the bot's replies, so that after a timeout it can tell whether the reply went out. */
const REPLY_EVENT = 'backup_triage_reply';

export interface SlackAdapterOptions {
  config: SlackConfig;
  engine: Engine;
  logger: Logger;
  tracker: Tracker;
  /** The app HTTP mode mounts /slack/events on. */
  http: Express;
  /** Waits between retries (tests pass one that doesn't wait). */
  sleep?: Sleep;
  callTimeoutMs?: number;
  budgetMs?: number;
  /** Shared by instances: thread context is the engine's; here de-duplication and the locale cache. */
  store?: Store;
  metrics?: Metrics;
}

export interface SlackAdapter {
  /**
   * Checks the token with auth.test, retrying with backoff while Slack can't be reached, then starts
   * answering: true once it does, false when stopped first. Throws ConfigError when Slack rejects a token.
   */
  start(): Promise<boolean>;
  stop(): Promise<void>;
}

/** Bolt's logger interface over pino. */
function boltLogger(logger: Logger) {
  const log = logger.child({ component: 'bolt' });
  let level = LogLevel.INFO;
  const text = (msgs: unknown[]) => msgs.map((m) => (m instanceof Error ? m.message : typeof m === 'string' ? m : JSON.stringify(m))).join(' ');
  return {
    debug: (...msgs: unknown[]) => log.debug(text(msgs)),
    info: (...msgs: unknown[]) => log.info(text(msgs)),
    warn: (...msgs: unknown[]) => log.warn(text(msgs)),
    error: (...msgs: unknown[]) => log.error(text(msgs)),
    setLevel: (l: typeof level) => {
      level = l;
    },
    getLevel: () => level,
    setName: () => undefined,
  };
}

/**
 * fetch for the Web API: node's HTTP client with the call timeout; a 429 without Retry-After
 * becomes one with Retry-After 0 (back off).
 */
function slackFetch(timeoutMs: number): typeof fetch {
  const send = httpFetch(timeoutMs);
  return async (input, init) => {
    const response = await send(input, init);
    if (response.status !== 429 || response.headers.has('retry-after')) return response;
    const headers = new Headers(response.headers);
    headers.set('retry-after', '0');
    return new globalThis.Response(response.body, { status: 429, statusText: response.statusText, headers });
  };
}

type Outcome = { kind: 'final' } | { kind: 'refused'; wait?: number } | { kind: 'unsure' };

/** What a failed post means: nothing posted (retry), maybe posted (check first), or give up. */
function outcomeOf(error: unknown): Outcome {
  const e = error as { code?: string; retryAfter?: number; statusCode?: number; data?: { error?: string }; original?: { code?: string; cause?: { code?: string } } };
  switch (e.code) {
    case 'slack_webapi_rate_limited_error':
      return { kind: 'refused', ...(e.retryAfter ? { wait: e.retryAfter * 1000 } : {}) };
    case 'slack_webapi_http_error':
      return (e.statusCode ?? 0) >= 500 ? { kind: 'unsure' } : { kind: 'final' };
    case 'slack_webapi_platform_error':
      if (REFUSED.has(e.data?.error ?? '')) return { kind: 'refused' };
      return UNSURE.has(e.data?.error ?? '') ? { kind: 'unsure' } : { kind: 'final' };
    case 'slack_webapi_request_error': {
      const code = e.original?.code ?? e.original?.cause?.code ?? '';
      return UNREACHED.has(code) ? { kind: 'refused' } : { kind: 'unsure' };
    }
    default:
      return { kind: 'final' };
  }
}

function errorText(error: unknown): string {
  const e = error as { message?: string; data?: { error?: string } };
  return e.data?.error ?? e.message ?? String(error);
}

/** Fields of a payload, each of the type it should have; a field of another type is left out. */
function pick<S extends Record<string, z.ZodType>>(logger: Logger, what: string, shape: S, value: unknown): { [K in keyof S]?: z.infer<S[K]> } {
  const out: Record<string, unknown> = {};
  const object = value !== null && typeof value === 'object' ? (value as Record<string, unknown>) : {};
  for (const [key, schema] of Object.entries(shape)) {
    if (object[key] === undefined) continue;
    const parsed = schema.safeParse(object[key]);
    if (parsed.success) out[key] = parsed.data;
    else logger.debug({ what, field: key }, 'Slack payload field of the wrong type ignored');
  }
  return out as { [K in keyof S]?: z.infer<S[K]> };
}

/** The fields Bolt itself reads before any listener runs, and the type each must have. */
const ENVELOPE: Record<string, 'string' | 'object'> = { team_id: 'string', enterprise_id: 'string', type: 'string', channel: 'object', user: 'object', team: 'object', enterprise: 'object', message: 'object', container: 'object', event: 'object' };
const EVENT: Record<string, 'string'> = { type: 'string', channel: 'string', user: 'string', text: 'string', ts: 'string', thread_ts: 'string', channel_type: 'string', subtype: 'string', bot_id: 'string', team: 'string', event_ts: 'string' };

function dropMistyped(object: Record<string, unknown>, fields: Record<string, string>, where: string, logger: Logger): void {
  for (const [key, kind] of Object.entries(fields)) {
    const value = object[key];
    if (value === undefined) continue;
    const actual = value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value;
    if (actual === kind) continue;
    logger.debug({ what: where, field: key, found: actual }, 'Slack payload field of the wrong type ignored');
    delete object[key];
  }
}

/**
 * A body as Bolt may safely read it: Bolt reads some fields before our listeners see them (and
 * throws on a null channel), so a field of the wrong type is dropped here first.
 */
function saneBody(body: unknown, logger: Logger): Record<string, unknown> {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return {};
  const out = { ...(body as Record<string, unknown>) };
  dropMistyped(out, ENVELOPE, 'body', logger);
  if (out.event) {
    const event = { ...(out.event as Record<string, unknown>) };
    if (event.type === 'message' || event.type === 'app_mention') dropMistyped(event, EVENT, 'event', logger);
    out.event = event;
  }
  return out;
}

const str = z.string();
const MessageFields = { subtype: str, bot_id: str, text: str, user: str, channel: str, ts: str, thread_ts: str, channel_type: str, team: str };
const IdOnly = z.object({ id: z.string() });

export function createSlackAdapter(options: SlackAdapterOptions): SlackAdapter {
  const { config, engine, tracker } = options;
  const logger = options.logger.child({ platform: 'slack' });
  const wait = options.sleep ?? realSleep;
  const timeout = options.callTimeoutMs ?? CALL_TIMEOUT_MS;
  const budget = options.budgetMs ?? RETRY_BUDGET_MS;
  const stopping = new AbortController();
  const base: WebClientOptions = {
    ...(config.apiUrl ? { slackApiUrl: config.apiUrl } : {}),
    logger: boltLogger(logger),
    // The timeout is the fetch's own: a timer cleared when the call ends.
    rejectRateLimitedCalls: true,
    fetch: slackFetch(timeout),
  };
  // Posts are retried here, where a timeout can be told from a refusal; reads are safe to repeat,
  // and the Web API client's own retry policy does that.
  const posts = new WebClient(config.botToken, { ...base, retryConfig: { retries: 0 } });
  const readOptions: WebClientOptions = { ...base, retryConfig: { retries: 2, factor: 2, minTimeout: 250, maxTimeout: 1000, randomize: true } };
  const reads = new WebClient(config.botToken, readOptions);
  const store = options.store ?? new MemoryStore({ maxEntries: 50_000 });
  const { metrics } = options;
  const services = { logger, store, ...(metrics ? { metrics } : {}) };
  let app: InstanceType<typeof App> | undefined;

  /**
   * True the first time a message is seen, by any instance sharing the store: retries (which may
   * reach another instance) and message/app_mention twins are dropped.
   */
  async function firstTime(key: string): Promise<boolean> {
    if (await store.claim('seen', key, SEEN_TTL_MS)) return true;
    metrics?.duplicates.inc({ platform: 'slack' });
    return false;
  }

  const cachedLocale = async (user: string) => {
    const cached = await store.get('locale', user);
    return typeof cached === 'string' ? cached : undefined;
  };

  async function localeOf(user: string): Promise<string | undefined> {
    const cached = await cachedLocale(user);
    if (cached !== undefined) return cached || undefined;
    try {
      const info = await reads.users.info({ user, include_locale: true });
      const locale = typeof info.user?.locale === 'string' ? info.user.locale : '';
      await store.set('locale', user, locale, LOCALE_TTL_MS);
      return locale || undefined;
    } catch (error) {
      metrics?.platformErrors.inc({ platform: 'slack', call: 'users.info' });
      logger.warn({ err: errorText(error) }, 'users.info failed; answering without the user locale');
      return undefined;
    }
  }

  /** The reply with this marker, if it is in the thread (or the channel): undefined when not, null when unknown. */
  async function findReply(channel: string, threadTs: string | undefined, marker: string): Promise<string | undefined | null> {
    try {
      const found = threadTs
        ? await reads.conversations.replies({ channel, ts: threadTs, include_all_metadata: true, limit: 200 })
        : await reads.conversations.history({ channel, include_all_metadata: true, limit: 50 });
      const mine = found.messages?.find((m) => m.metadata?.event_type === REPLY_EVENT && (m.metadata.event_payload as { reply?: string } | undefined)?.reply === marker);
      return mine?.ts ?? undefined;
    } catch (error) {
      logger.warn({ err: errorText(error), channel }, 'could not check whether a reply went out');
      return null;
    }
  }

  /**
   * Posts one message, retrying what Slack refused (429 with or without Retry-After, 5xx, a
   * connection that never reached it) within the budget. After a timeout or an answer that leaves
   * it open whether the message went out, it looks for the message first: it never posts twice.
   */
  async function deliver(channel: string, threadTs: string | undefined, message: SlackMessage): Promise<string | undefined> {
    const marker = randomUUID();
    const deadline = Date.now() + budget;
    for (let attempt = 1; ; attempt += 1) {
      try {
        const result = await posts.chat.postMessage({
          channel,
          text: message.text,
          blocks: message.blocks,
          unfurl_links: false,
          unfurl_media: false,
          metadata: { event_type: REPLY_EVENT, event_payload: { reply: marker } },
          ...(threadTs ? { thread_ts: threadTs } : {}),
        });
        return result.ts;
      } catch (error) {
        metrics?.platformErrors.inc({ platform: 'slack', call: 'chat.postMessage' });
        const outcome = outcomeOf(error);
        if (outcome.kind === 'final') throw error;
        const pause = (outcome.kind === 'refused' ? outcome.wait : undefined) ?? backoff(attempt);
        if (Date.now() + pause > deadline) throw error;
        metrics?.platformRetries.inc({ platform: 'slack', call: 'chat.postMessage' });
        logger.warn({ channel, attempt, wait: pause, err: errorText(error) }, 'Slack did not take a reply; retrying');
        await wait(pause);
        if (outcome.kind === 'unsure') {
          const ts = await findReply(channel, threadTs, marker);
          if (ts === null) throw error;
          if (ts) return ts;
        }
      }
    }
  }

  /** Posts every message of an answer; the first one's ts, or undefined when the answer was lost (and logged). */
  async function post(channel: string, threadTs: string | undefined, answer: Answer, messageId: string): Promise<string | undefined> {
    let first: string | undefined;
    try {
      for (const message of renderSlack(answer)) {
        const ts = await deliver(channel, threadTs, message);
        first ??= ts;
      }
      return first;
    } catch (error) {
      logger.error({ channel, thread: threadTs ?? '', messageId, err: errorText(error) }, first ? 'reply cut short: Slack did not take its rest' : 'reply lost: Slack did not take it');
      if (first === undefined) throw new LostReply(error);
      return first;
    }
  }

  /** An answer through a command's or shortcut's response_url (signed by Slack), with a timeout. */
  async function respondVia(url: string, responseType: 'ephemeral' | 'in_channel', answer: Answer): Promise<void> {
    const [first] = renderSlack(answer);
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ response_type: responseType, text: first!.text, blocks: first!.blocks }),
      signal: AbortSignal.timeout(timeout),
    });
    if (!res.ok) throw new Error(`response_url answered ${res.status}`);
  }

  const threadKey = (team: string, channel: string, ts: string) => `slack:${team}:${channel}:${ts}`;

  async function answerAndPost(args: {
    team: string;
    channel: string;
    threadTs: string;
    messageId: string;
    user: string;
    text: string;
    mode?: Mode;
    action?: Action;
    /** The clicked message, whose button is spent once used. */
    clicked?: { ts: string; actionId: string; blocks: unknown };
    /** Where the answer goes when it can't be posted in the thread (the bot isn't in the channel). */
    otherwise?: (answer: Answer) => Promise<void>;
  }): Promise<void> {
    const { team, channel, threadTs, user, text, messageId, clicked } = args;
    const locale = await localeOf(user);
    const message: IncomingMessage = { text, thread: threadKey(team, channel, threadTs), user, ...(locale ? { locale } : {}), ...(args.action ? { action: args.action } : {}) };
    await runTurn(engine, services, 'slack', {
      message,
      ...(args.mode ? { mode: args.mode } : {}),
      where: { channel, thread: threadTs, messageId },
      send: async (answer) => {
        try {
          await post(channel, threadTs, answer, messageId);
          return true;
        } catch (error) {
          if (!args.otherwise) return false;
          logger.warn({ channel, messageId, err: errorText(error) }, 'could not post in the thread; answering the user directly');
          await args.otherwise(answer);
          return true;
        }
      },
      ...(clicked ? { spend: (action: Action) => spend(channel, clicked, action) } : {}),
    });
  }

  /** Updates a message after one of its buttons was used (see spendButton); false when Slack refused. */
  async function spend(channel: string, clicked: { ts: string; actionId: string; blocks: unknown }, action: Action): Promise<boolean> {
    if (!Array.isArray(clicked.blocks)) return false;
    try {
      const blocks = spendButton(clicked.blocks as SlackMessage['blocks'], clicked.actionId, action);
      await posts.chat.update({ channel, ts: clicked.ts, blocks, text: STRINGS[action.language].feedbackThanks });
      return true;
    } catch (error) {
      logger.warn({ channel, err: errorText(error) }, 'could not update the message whose button was used');
      return false;
    }
  }

  /** Runs after the ack; failures are logged, never thrown into Bolt. */
  function later(what: string, work: () => Promise<void>): void {
    tracker.run(() =>
      work().catch((error: unknown) => {
        if (error instanceof LostReply) return; // already logged with its ids
        logger.error({ err: errorText(error), what }, 'could not answer on Slack');
      }),
    );
  }

  function build(botUserId: string, botId: string): InstanceType<typeof App> {
    const common = { token: config.botToken, botUserId, botId, logger: boltLogger(logger), clientOptions: readOptions, ignoreSelf: true };
    const built = config.appToken
      ? new GuardedApp(logger, { ...common, appToken: config.appToken, socketMode: true })
      : new GuardedApp(logger, {
          ...common,
          receiver: new ExpressReceiver({
            signingSecret: config.signingSecret ?? '',
            endpoints: EVENTS_PATH,
            app: options.http,
            bodyLimit: BODY_LIMIT_BYTES,
            logger: common.logger,
            processBeforeResponse: false,
          }),
        });
    listen(built, botUserId);
    return built;
  }

  function listen(bolt: InstanceType<typeof App>, botUserId: string): void {
    // --- messages: DMs, channel pastes (passive), and follow-ups in threads the bot answered -----
    bolt.message(async ({ message, context, body }) => {
      const m = pick(logger, 'message', MessageFields, message);
      if (m.subtype !== undefined || m.bot_id || !m.user || !m.text || !m.channel || !m.ts) return; // edits, joins, bots
      if (m.text.includes(`<@${botUserId}>`)) return; // app_mention answers it
      const team = pick(logger, 'event', { team_id: str }, body).team_id ?? context.teamId ?? '';
      const inThread = m.thread_ts !== undefined && m.thread_ts !== m.ts;
      const root = m.thread_ts ?? m.ts;
      const { text, user, channel, ts } = { text: m.text, user: m.user, channel: m.channel, ts: m.ts };
      // A DM is addressed to the bot; a thread reply is answered where the bot answered before; a
      // channel paste only when the bot is sure of it.
      const mode: Mode | undefined = m.channel_type === 'im' ? 'direct' : inThread ? 'thread' : config.passive ? 'passive' : undefined;
      // A thread reply that mentions someone (not the bot: app_mention has those) is meant for them.
      if (mode === 'thread' && /<@[UW][A-Z0-9]+>/u.test(text)) return;
      if (!mode || !(await firstTime(`${team}:${channel}:${ts}`))) return;
      later('message', () => answerAndPost({ team, channel, threadTs: root, messageId: ts, user, text, mode }));
    });

    bolt.event('app_mention', async ({ event, context, body }) => {
      const e = pick(logger, 'app_mention', MessageFields, event);
      if (e.bot_id || !e.user || !e.channel || !e.ts) return;
      const team = pick(logger, 'event', { team_id: str }, body).team_id ?? context.teamId ?? '';
      if (!(await firstTime(`${team}:${e.channel}:${e.ts}`))) return;
      const text = (e.text ?? '').replaceAll(`<@${botUserId}>`, ' ').trim();
      const { channel, user, ts } = { channel: e.channel, user: e.user, ts: e.ts };
      const root = e.thread_ts ?? ts;
      later('app_mention', () => answerAndPost({ team, channel, threadTs: root, messageId: ts, user, text }));
    });

    // --- the slash command: help when empty; otherwise the answer in the channel, its own thread -
    bolt.command(SLASH_COMMAND, async ({ command, ack }) => {
      const c = pick(logger, 'command', { text: str, team_id: str, channel_id: str, user_id: str, trigger_id: str, response_url: str }, command);
      const text = (c.text ?? '').trim();
      if (!text || !c.channel_id || !c.user_id) {
        // Within Slack's 3 s: only a locale already known, no Web API call before the ack.
        const language = languageFromLocale(c.user_id ? await cachedLocale(c.user_id) : undefined) ?? 'en';
        await ack({ response_type: 'ephemeral', text: STRINGS[language].help });
        return;
      }
      await ack();
      const { team_id: team = '', channel_id: channel, user_id: user, trigger_id: trigger = randomUUID(), response_url: responseUrl } = c;
      later('command', async () => {
        const locale = await localeOf(user);
        // The answer becomes a thread's first message: its context is remembered under that thread.
        const pending = `slack:${team}:${channel}:command:${trigger}`;
        await runTurn(engine, services, 'slack', {
          message: { text, thread: pending, user, ...(locale ? { locale } : {}) },
          where: { channel, messageId: trigger },
          send: async (answer) => {
            try {
              const ts = await post(channel, undefined, answer, trigger);
              if (ts) await engine.remember(threadKey(team, channel, ts), answer);
              return true;
            } catch (error) {
              if (!responseUrl) return false;
              // The bot isn't in the channel (or it's someone else's DM): answer through the command itself.
              logger.warn({ channel, err: errorText(error) }, 'chat.postMessage failed; answering through response_url');
              await respondVia(responseUrl, 'in_channel', answer);
              return true;
            }
          },
        });
      });
    });

    // --- the message shortcut: diagnose any message, answered in its thread ----------------------
    bolt.shortcut(SHORTCUT_ID, async ({ shortcut, ack }) => {
      await ack();
      if (shortcut.type !== 'message_action') return;
      const s = pick(logger, 'shortcut', { team: IdOnly, channel: IdOnly, user: IdOnly, message: z.object({ ts: str, thread_ts: str.optional(), text: str.optional() }), response_url: str }, shortcut);
      if (!s.channel || !s.user || !s.message) return;
      const { channel, user, message, response_url: responseUrl } = { channel: s.channel.id, user: s.user.id, message: s.message, response_url: s.response_url };
      const root = message.thread_ts ?? message.ts;
      later('shortcut', () =>
        answerAndPost({
          team: s.team?.id ?? '',
          channel,
          threadTs: root,
          messageId: message.ts,
          user,
          text: message.text ?? '',
          ...(responseUrl ? { otherwise: (answer: Answer) => respondVia(responseUrl, 'ephemeral', answer) } : {}),
        }),
      );
    });

    // --- buttons under an answer -----------------------------------------------------------------
    bolt.action(ACTION_PATTERN, async ({ ack, body, payload }) => {
      await ack();
      const action = pick(logger, 'action', { type: str, action_id: str, value: str }, payload);
      const b = pick(logger, 'block_actions', { type: str, team: IdOnly, channel: IdOnly, user: IdOnly, message: z.object({ ts: str, thread_ts: str.optional(), blocks: z.array(z.unknown()).optional() }) }, body);
      if (b.type !== 'block_actions' || action.type !== 'button' || !action.action_id || !b.channel || !b.message || !b.user) return;
      const { team, channel, user, message } = { team: b.team?.id ?? '', channel: b.channel.id, user: b.user.id, message: b.message };
      const root = message.thread_ts ?? message.ts;
      // The button's value says which answer's entries and language it acts on.
      const pressed = actionOf(action.value);
      if (!pressed) {
        logger.debug({ what: 'action' }, 'a button value that is not ours was ignored');
        return;
      }
      const clicked = { ts: message.ts, actionId: action.action_id, blocks: message.blocks };
      later('action', () => answerAndPost({ team, channel, threadTs: root, messageId: message.ts, user, text: '', action: pressed, clicked }));
    });

    bolt.error(async (error) => {
      logger.error({ err: error.message, code: (error as { code?: string }).code }, 'Bolt error');
    });
  }

  /** Retries `step` with backoff until it works, Slack rejects a token, or the adapter stops. */
  async function untilReady<T>(what: string, variable: string, step: () => Promise<T>): Promise<T | undefined> {
    for (let attempt = 1; !stopping.signal.aborted; attempt += 1) {
      try {
        return await step();
      } catch (error) {
        const code = (error as { data?: { error?: string } }).data?.error ?? '';
        if (REJECTED_TOKEN.has(code)) {
          throw new ConfigError(`${variable} was rejected by Slack (${code}): set it to a valid token of this app, from its Slack app settings`);
        }
        const pause = backoff(attempt, 1000, 30_000);
        logger.warn({ attempt, wait: pause, err: errorText(error) }, `${what} failed; Slack is not ready, retrying`);
        await wait(pause, stopping.signal);
      }
    }
    return undefined;
  }

  return {
    start: async () => {
      const auth = await untilReady('auth.test', 'SLACK_BOT_TOKEN', () => posts.auth.test());
      if (!auth) return false;
      app = build(String(auth.user_id ?? ''), String(auth.bot_id ?? ''));
      const started = app;
      if (config.appToken && !(await untilReady('Socket Mode connection', 'SLACK_APP_TOKEN', () => started.start().then(() => true)))) return false;
      return true;
    },
    stop: async () => {
      stopping.abort();
      if (config.appToken && app) await app.stop().catch((error: unknown) => logger.warn({ err: errorText(error) }, 'Socket Mode did not close cleanly'));
    },
  };
}

/** Bolt's App, with every incoming body made safe to read before Bolt reads it. */
class GuardedApp extends App {
  constructor(
    private readonly log: Logger,
    options: ConstructorParameters<typeof App>[0],
  ) {
    super(options);
  }

  override async processEvent(event: Parameters<App['processEvent']>[0]): Promise<void> {
    return super.processEvent({ ...event, body: saneBody(event.body, this.log) });
  }
}

/** A reply that was lost after its retries; the loss is logged where it happened. */
class LostReply extends Error {
  override name = 'LostReply';
  constructor(readonly reason: unknown) {
    super(errorText(reason));
  }
}

export interface SlackPlatformOptions {
  sleep?: Sleep;
  callTimeoutMs?: number;
}

/** Slack on the server: /slack/events in HTTP mode (503 until Slack is ready), or Socket Mode. */
export function slackPlatform(config: SlackConfig, options: SlackPlatformOptions = {}): PlatformFactory {
  return ({ http, tracker, logger, store, metrics }) => {
    const events = express();
    let adapter: SlackAdapter | undefined;
    let ready = false;
    if (!config.appToken) {
      http.post(EVENTS_PATH, (req: Request, res: Response, next: NextFunction) => {
        if (!ready) {
          res.status(503).json({ error: 'starting' });
          return;
        }
        events(req, res, next);
      });
    }
    return {
      name: 'slack',
      description: `slack (${config.appToken ? 'socket mode' : `http ${EVENTS_PATH}`})`,
      start: async (engine) => {
        adapter = createSlackAdapter({ config, engine, logger, tracker, http: events, ...(store ? { store } : {}), ...(metrics ? { metrics } : {}), ...options });
        ready = await adapter.start();
        return ready;
      },
      stop: async () => {
        await adapter?.stop();
      },
    };
  };
}
