import { App, ExpressReceiver, LogLevel, type RespondFn } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import type { Express } from 'express';
import type { Answer, IncomingMessage, MessageAction } from '../../core/answer/model.ts';
import type { Engine } from '../../core/engine.ts';
import { STRINGS } from '../../core/i18n/strings.ts';
import type { Language } from '../../core/knowledge/schema.ts';
import { languageFromLocale } from '../../core/language/detect.ts';
import type { SlackConfig } from '../../server/config.ts';
import { BODY_LIMIT_BYTES, type Tracker } from '../../server/http.ts';
import { redact, type Logger } from '../../server/logger.ts';
import { MemoryStore } from '../../store/context-store.ts';
import { ACTION_PATTERN, decodeAction, renderSlack } from './blocks.ts';

export const SLASH_COMMAND = '/backup-triage';
export const SHORTCUT_ID = 'diagnose_message';
export const EVENTS_PATH = '/slack/events';

/** A 429 with a Retry-After up to this long is waited out; a longer one gives up on the reply. */
const MAX_RETRY_AFTER_S = 30;
const RATE_LIMIT_ATTEMPTS = 2;
/** How long a message id is remembered, to answer it once across retries and event types. */
const SEEN_TTL_MS = 60 * 60 * 1000;
const LOCALE_TTL_MS = 60 * 60 * 1000;

export interface SlackAdapterOptions {
  config: SlackConfig;
  engine: Engine;
  logger: Logger;
  tracker: Tracker;
  /** The shared HTTP app (HTTP mode mounts /slack/events on it). */
  http: Express;
}

export interface SlackAdapter {
  app: InstanceType<typeof App>;
  start(): Promise<void>;
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

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A Web API call that honours 429 Retry-After, a bounded number of times and for a bounded wait. */
async function call<T>(logger: Logger, method: string, fn: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await fn();
    } catch (error) {
      const e = error as { code?: string; retryAfter?: number };
      const wait = e.retryAfter ?? 1;
      if (e.code !== 'slack_webapi_rate_limited_error' || attempt >= RATE_LIMIT_ATTEMPTS || wait > MAX_RETRY_AFTER_S) throw error;
      logger.warn({ method, retryAfter: wait, attempt }, 'rate limited by Slack; waiting before retrying');
      await sleep(wait * 1000);
    }
  }
}

/** An answer through a command's or shortcut's response_url: its first message, which holds the buttons' thread. */
async function respondWith(respond: RespondFn, responseType: 'ephemeral' | 'in_channel', answer: Answer): Promise<void> {
  const [first] = renderSlack(answer);
  await respond({ response_type: responseType, text: first!.text, blocks: first!.blocks });
}

/** Slack markup that isn't part of the pasted text: the bot's own mention. */
function withoutMention(text: string, botUserId: string | undefined): string {
  return botUserId ? text.replaceAll(`<@${botUserId}>`, ' ').trim() : text;
}

export function createSlackAdapter(options: SlackAdapterOptions): SlackAdapter {
  const { config, engine, tracker } = options;
  const logger = options.logger.child({ platform: 'slack' });
  const clientOptions = {
    ...(config.apiUrl ? { slackApiUrl: config.apiUrl } : {}),
    rejectRateLimitedCalls: true,
    retryConfig: { retries: 2, factor: 2, minTimeout: 200, maxTimeout: 2000, randomize: false },
  };
  const common = { token: config.botToken, logger: boltLogger(logger), clientOptions, ignoreSelf: true };
  const receiver = config.appToken
    ? undefined
    : new ExpressReceiver({
        signingSecret: config.signingSecret ?? '',
        endpoints: EVENTS_PATH,
        app: options.http,
        bodyLimit: BODY_LIMIT_BYTES,
        logger: common.logger,
        processBeforeResponse: false,
      });
  const app = config.appToken
    ? new App({ ...common, appToken: config.appToken, socketMode: true })
    : new App({ ...common, receiver: receiver! });

  const seen = new MemoryStore<true>({ ttlMs: SEEN_TTL_MS, maxEntries: 50_000 });
  const locales = new MemoryStore<string>({ ttlMs: LOCALE_TTL_MS, maxEntries: 10_000 });

  /** True the first time a message is seen: retries and message/app_mention twins are dropped. */
  async function firstTime(key: string): Promise<boolean> {
    if (await seen.get(key)) return false;
    await seen.set(key, true);
    return true;
  }

  async function localeOf(client: WebClient, user: string): Promise<string | undefined> {
    const cached = await locales.get(user);
    if (cached !== undefined) return cached || undefined;
    try {
      const info = await call(logger, 'users.info', () => client.users.info({ user, include_locale: true }));
      const locale = info.user?.locale ?? '';
      await locales.set(user, locale);
      return locale || undefined;
    } catch (error) {
      logger.warn({ err: (error as Error).message }, 'users.info failed; answering without the user locale');
      return undefined;
    }
  }

  const threadKey = (team: string, channel: string, ts: string) => `slack:${team}:${channel}:${ts}`;

  async function post(client: WebClient, channel: string, threadTs: string | undefined, answer: Answer): Promise<string | undefined> {
    let first: string | undefined;
    for (const message of renderSlack(answer)) {
      const result = await call(logger, 'chat.postMessage', () =>
        client.chat.postMessage({ channel, text: message.text, blocks: message.blocks, unfurl_links: false, unfurl_media: false, ...(threadTs ? { thread_ts: threadTs } : {}) }),
      );
      first ??= result.ts;
    }
    return first;
  }

  async function answerAndPost(args: {
    client: WebClient;
    team: string;
    channel: string;
    threadTs: string;
    user: string;
    text: string;
    action?: MessageAction;
    /** Where the answer goes when it can't be posted in the thread (the bot isn't in the channel). */
    otherwise?: (answer: Answer) => Promise<void>;
  }): Promise<void> {
    const { client, team, channel, threadTs, user, text } = args;
    const started = Date.now();
    const locale = await localeOf(client, user);
    const message: IncomingMessage = { text, thread: threadKey(team, channel, threadTs), user, ...(locale ? { locale } : {}), ...(args.action ? { action: args.action } : {}) };
    let answer: Answer;
    try {
      answer = await engine.handle(message);
    } catch (error) {
      logger.error({ err: (error as Error).message, text: redact(text) }, 'the engine failed on a message');
      const language: Language = languageFromLocale(locale) ?? 'en';
      await post(client, channel, threadTs, { language, intent: 'help', lead: [STRINGS[language].internalError], matches: [], suggestions: [], tail: [], text: STRINGS[language].internalError });
      return;
    }
    try {
      await post(client, channel, threadTs, answer);
    } catch (error) {
      if (!args.otherwise) throw error;
      logger.warn({ err: (error as { data?: { error?: string } }).data?.error }, 'could not post in the thread; answering the user directly');
      await args.otherwise(answer);
    }
    logger.info(
      { channel, intent: answer.intent, language: answer.language, matches: answer.matches.map((m) => m.id), suggestions: answer.suggestions.length, ms: Date.now() - started, text: redact(text) },
      'answered',
    );
  }

  /** Runs after the ack; failures are logged, never thrown into Bolt. */
  function later(what: string, work: () => Promise<void>): void {
    tracker.run(() =>
      work().catch((error: unknown) => {
        const e = error as { message?: string; data?: { error?: string } };
        logger.error({ err: e.data?.error ?? e.message, what }, 'could not answer on Slack');
      }),
    );
  }

  // --- messages: DMs, channel pastes (passive), and follow-ups in threads the bot answered -------
  app.message(async ({ message, context, client, body }) => {
    const m = message as { subtype?: string; bot_id?: string; text?: string; user?: string; channel: string; ts: string; thread_ts?: string; channel_type?: string };
    if (m.subtype !== undefined || m.bot_id || !m.user || !m.text) return; // edits, joins, bots
    if (context.botUserId && m.text.includes(`<@${context.botUserId}>`)) return; // app_mention answers it
    const team = (body as { team_id?: string }).team_id ?? context.teamId ?? '';
    const inThread = m.thread_ts !== undefined && m.thread_ts !== m.ts;
    const root = m.thread_ts ?? m.ts;
    let wanted = m.channel_type === 'im';
    if (!wanted && inThread) wanted = (await engine.threadLanguage(threadKey(team, m.channel, root))) !== undefined;
    if (!wanted && !inThread && config.passive) wanted = engine.confident(m.text);
    if (!wanted || !(await firstTime(`${team}:${m.channel}:${m.ts}`))) return;
    const { text, user, channel } = { text: m.text, user: m.user, channel: m.channel };
    later('message', () => answerAndPost({ client, team, channel, threadTs: root, user, text }));
  });

  app.event('app_mention', async ({ event, context, client, body }) => {
    if (event.bot_id || !event.user) return;
    const team = (body as { team_id?: string }).team_id ?? context.teamId ?? '';
    if (!(await firstTime(`${team}:${event.channel}:${event.ts}`))) return;
    const text = withoutMention(event.text, context.botUserId);
    const { channel, user } = { channel: event.channel, user: event.user };
    const root = event.thread_ts ?? event.ts;
    later('app_mention', () => answerAndPost({ client, team, channel, threadTs: root, user, text }));
  });

  // --- the slash command: help when empty; otherwise the answer in the channel, its own thread ---
  app.command(SLASH_COMMAND, async ({ command, ack, client, respond }) => {
    const text = command.text.trim();
    if (!text) {
      // Within Slack's 3 s: only a locale already known, no Web API call before the ack.
      const language = languageFromLocale(await locales.get(command.user_id)) ?? 'en';
      await ack({ response_type: 'ephemeral', text: STRINGS[language].help });
      return;
    }
    await ack();
    later('command', async () => {
      const locale = await localeOf(client, command.user_id);
      const pending = `slack:${command.team_id}:${command.channel_id}:command:${command.trigger_id}`;
      const answer = await engine.handle({ text, thread: pending, user: command.user_id, ...(locale ? { locale } : {}) });
      try {
        const ts = await post(client, command.channel_id, undefined, answer);
        if (ts) await engine.moveThread(pending, threadKey(command.team_id, command.channel_id, ts));
      } catch (error) {
        // The bot isn't in the channel (or it's someone else's DM): answer through the command itself.
        logger.warn({ err: (error as { data?: { error?: string } }).data?.error }, 'chat.postMessage failed; answering through response_url');
        await respondWith(respond, 'in_channel', answer);
      }
    });
  });

  // --- the message shortcut: diagnose any message, answered in its thread --------------------------
  app.shortcut(SHORTCUT_ID, async ({ shortcut, ack, client, respond }) => {
    await ack();
    if (shortcut.type !== 'message_action') return;
    const team = shortcut.team?.id ?? '';
    const channel = shortcut.channel.id;
    const target = shortcut.message as { ts: string; thread_ts?: string; text?: string };
    const root = target.thread_ts ?? target.ts;
    const user = shortcut.user.id;
    later('shortcut', () =>
      answerAndPost({ client, team, channel, threadTs: root, user, text: target.text ?? '', otherwise: (answer) => respondWith(respond, 'ephemeral', answer) }),
    );
  });

  // --- buttons under an answer ---------------------------------------------------------------------
  app.action(ACTION_PATTERN, async ({ ack, body, payload, client }) => {
    await ack();
    const action = payload as { type?: string; action_id?: string; value?: string };
    if (body.type !== 'block_actions' || action.type !== 'button' || !action.action_id) return;
    const team = body.team?.id ?? '';
    const channel = body.channel?.id;
    const message = body.message as { ts: string; thread_ts?: string } | undefined;
    if (!channel || !message) return;
    const root = message.thread_ts ?? message.ts;
    const user = body.user.id;
    const pressed = decodeAction(action.action_id);
    if (!pressed) return;
    if (pressed.type === 'feedback') {
      logger.info({ feedback: pressed.value, entry: action.value, channel }, 'feedback');
      later('feedback', async () => {
        const language = (await engine.threadLanguage(threadKey(team, channel, root))) ?? languageFromLocale(await localeOf(client, user)) ?? 'en';
        const text = STRINGS[language].feedbackThanks;
        await call(logger, 'chat.postEphemeral', () => client.chat.postEphemeral({ channel, user, text, thread_ts: root }));
      });
      return;
    }
    later('action', () => answerAndPost({ client, team, channel, threadTs: root, user, text: '', action: pressed }));
  });

  app.error(async (error) => {
    logger.error({ err: error.message, code: (error as { code?: string }).code }, 'Bolt error');
  });

  return {
    app,
    start: async () => {
      if (config.appToken) await app.start();
    },
    stop: async () => {
      if (config.appToken) await app.stop();
    },
  };
}
