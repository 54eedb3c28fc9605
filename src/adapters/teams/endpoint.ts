import { isIP } from 'node:net';
import { ActivityTypes, CloudAdapter, MessageFactory, type Activity, type ResourceResponse, type TurnContext } from 'botbuilder';
import express, { type IRouter, type NextFunction, type Request, type Response } from 'express';
import type { Engine } from '../../core/engine.ts';
import { STRINGS } from '../../core/i18n/strings.ts';
import { languageFromLocale } from '../../core/language/detect.ts';
import type { TeamsConfig } from '../../server/config.ts';
import { BODY_LIMIT_BYTES } from '../../server/http.ts';
import type { Logger } from '../../server/logger.ts';
import type { Metrics } from '../../server/metrics.ts';
import type { Store } from '../../store/store.ts';
import type { Sleep } from '../../server/retry.ts';
import { normaliseActivity } from './activity.ts';
import { Sender, TriageBot } from './bot.ts';
import { ReusingAuthentication } from './auth.ts';
import { connectorHttpClient } from './connector-http.ts';
import { MESSAGES_PATH } from './platform.ts';
import { isPrivateTurn, sendTargeted, updateTargeted } from './targeted.ts';


export interface TeamsEndpointOptions {
  config: TeamsConfig;
  /** The engine, once it is built; until then the endpoint answers 503. */
  engine: () => Engine | undefined;
  logger: Logger;
  /** Where the endpoint's route is mounted. */
  http: IRouter;
  /** Waits between retries of a refused reply (tests pass one that doesn't wait). */
  sleep?: Sleep;
  /** Timeout of each Bot Connector call. */
  callTimeoutMs?: number;
  store?: Store;
  metrics?: Metrics;
}

/** True for an address on this machine's loopback (127.0.0.0/8, ::1, and IPv4 mapped into IPv6). */
export function isLoopbackAddress(address: string | undefined): boolean {
  if (!address) return false;
  const a = address.replace(/^::ffff:/iu, '');
  if (isIP(a) === 4) return a.startsWith('127.');
  return a === '::1';
}

/** True for a URL whose host is this machine's loopback (`localhost` included). */
export function isLoopbackUrl(url: string): boolean {
  try {
    const host = new URL(url).hostname.replace(/^\[|\]$/gu, '');
    return host === 'localhost' || isLoopbackAddress(host);
  } catch {
    return false;
  }
}

/**
 * Mounts the Bot Framework endpoint for Teams on the shared HTTP app. In local mode (no
 * credentials) it serves callers on this machine only and replies to loopback serviceUrls only.
 */
export function mountTeams({ config, engine, logger: parent, http, sleep, callTimeoutMs, store, metrics }: TeamsEndpointOptions): void {
  const logger = parent.child({ platform: 'teams' });
  const local = config.mode === 'local';
  const auth = new ReusingAuthentication(
    {
      MicrosoftAppId: config.appId ?? '',
      MicrosoftAppPassword: config.appPassword ?? '',
      MicrosoftAppType: config.appType ?? (local ? '' : 'MultiTenant'),
      MicrosoftAppTenantId: config.tenantId ?? '',
    },
    undefined,
    undefined,
    undefined,
    { httpClient: connectorHttpClient(callTimeoutMs) } as never,
  );
  const adapter = new TriageAdapter(auth, callTimeoutMs);
  const sender = new Sender(logger, { ...(sleep ? { sleep } : {}), ...(metrics ? { metrics } : {}) });
  let bot: TriageBot | undefined;

  adapter.onTurnError = async (context: TurnContext, error: Error) => {
    logger.error({ err: error, conversation: context.activity.conversation?.id, messageId: context.activity.id }, 'Teams turn failed');
    const language = languageFromLocale(context.activity.locale) ?? 'en';
    try {
      await context.sendActivity(MessageFactory.text(STRINGS[language].internalError));
    } catch (sendError) {
      logger.error({ err: sendError }, 'could not tell the user about the failure');
    }
  };

  const json = express.json({ limit: BODY_LIMIT_BYTES, type: () => true });
  http.post(
    MESSAGES_PATH,
    (req: Request, res: Response, next: NextFunction) => {
      if (local && !isLoopbackAddress(req.socket.remoteAddress)) {
        logger.warn({ address: req.socket.remoteAddress }, 'local Teams mode: refused a caller that is not on this machine');
        res.status(403).json({ error: 'this endpoint serves local callers only' });
        return;
      }
      const current = engine();
      if (!current) {
        res.status(503).json({ error: 'starting' });
        return;
      }
      bot ??= new TriageBot(current, sender, { logger, ...(store ? { store } : {}), ...(metrics ? { metrics } : {}) });
      next();
    },
    (req: Request, res: Response, next: NextFunction) =>
      json(req, res, (error?: unknown) => {
        if (error) {
          res.status(400).json({ error: 'the body is not a JSON activity' });
          return;
        }
        next();
      }),
    async (req: Request, res: Response) => {
      const parsed = normaliseActivity(req.body, logger);
      if (!parsed.activity) {
        logger.debug({ reason: parsed.problem }, 'malformed Teams activity');
        res.status(400).json({ error: 'the body is not a valid activity' });
        return;
      }
      const activity = parsed.activity as unknown as Activity;
      if (local && !isLoopbackUrl(activity.serviceUrl)) {
        logger.warn({ conversation: activity.conversation?.id }, 'local Teams mode: refused an activity whose serviceUrl is not on this machine');
        res.status(403).json({ error: 'in local mode, replies go to this machine only' });
        return;
      }
      const authorization = typeof req.headers.authorization === 'string' ? req.headers.authorization : '';
      try {
        const invoke = await adapter.handle(authorization, activity, (context) => bot!.run(context));
        res.status(invoke?.status ?? 200);
        if (invoke?.body !== undefined) res.json(invoke.body);
        else res.end();
      } catch (error) {
        if (isAuthError(error)) {
          logger.warn({ err: (error as Error).message }, 'Teams request refused: authentication failed');
          res.status(401).json({ error: 'unauthorized' });
          return;
        }
        logger.error({ err: error, conversation: activity.conversation?.id, messageId: activity.id }, 'Teams request failed');
        if (!res.headersSent) res.status(500).json({ error: 'internal error' });
      }
    },
  );
}

/**
 * CloudAdapter, its activity processing called directly (its own `process` logs to the console).
 * In a private turn (a targeted message, or a click on a card sent privately) every message the
 * turn sends, and every update, is a targeted one, for the user of the turn only: the answer, and
 * the apology if the turn fails.
 */
class TriageAdapter extends CloudAdapter {
  constructor(
    auth: ConstructorParameters<typeof CloudAdapter>[0],
    private readonly callTimeoutMs: number | undefined,
  ) {
    super(auth);
  }

  handle(authorization: string, activity: Activity, logic: (context: TurnContext) => Promise<void>) {
    return this.processActivity(authorization, activity, logic);
  }

  #targeted(context: TurnContext) {
    return { context, connector: context.turnState.get(this.ConnectorClientKey), ...(this.callTimeoutMs ? { timeoutMs: this.callTimeoutMs } : {}) };
  }

  override async sendActivities(context: TurnContext, activities: Partial<Activity>[]): Promise<ResourceResponse[]> {
    if (!isPrivateTurn(context.activity)) return super.sendActivities(context, activities);
    const responses: ResourceResponse[] = [];
    for (const activity of activities) {
      if (activity.type === ActivityTypes.Message) responses.push(await sendTargeted(activity, this.#targeted(context)));
      else responses.push(...(await super.sendActivities(context, [activity])));
    }
    return responses;
  }

  override async updateActivity(context: TurnContext, activity: Partial<Activity>): Promise<ResourceResponse | void> {
    if (!isPrivateTurn(context.activity)) return super.updateActivity(context, activity);
    return updateTargeted(activity, this.#targeted(context));
  }
}

function isAuthError(error: unknown): boolean {
  const e = error as { statusCode?: number; name?: string; constructor?: { name?: string } };
  return e?.statusCode === 401 || e?.constructor?.name === 'AuthenticationError' || e?.name === 'AuthenticationError';
}
