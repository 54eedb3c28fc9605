import { setImmediate as yieldToLoop } from 'node:timers/promises';
import express, { type NextFunction, type Request, type Response } from 'express';
import { createSlackAdapter, EVENTS_PATH, type SlackAdapter } from '../adapters/slack/app.ts';
import { mountTeams } from '../adapters/teams/endpoint.ts';
import { createBot } from '../compose.ts';
import type { Engine } from '../core/engine.ts';
import type { ServeConfig } from './config.ts';
import { createHttpApp, DRAIN_LIMIT_MS, finishRoutes, type HttpApp } from './http.ts';
import type { Logger } from './logger.ts';
import type { Sleep } from './retry.ts';

export interface RunningServer {
  url: string;
  /** The address and port really bound. */
  address: string;
  http: HttpApp;
  /** Resolves when the engine is built and every configured platform is ready; rejects on a fatal start-up error. */
  ready: Promise<void>;
  /** Stops taking requests, finishes the answers in flight, and closes every platform. */
  stop(): Promise<void>;
}

export interface StartOptions {
  config: ServeConfig;
  logger: Logger;
  /** The engine to use; by default one is built from the knowledge once the server listens. */
  engine?: Engine;
  /** Waits between retries (start-up and replies); tests pass one that doesn't wait. */
  sleep?: Sleep;
  /** Timeout of each outbound call. */
  callTimeoutMs?: number;
  drainMs?: number;
}

/**
 * Starts the one HTTP server at once (/livez answers from the start), then builds the engine and
 * starts every configured platform; /readyz says 200 when all of that is done.
 */
export async function startServer({ config, logger, engine: given, sleep, callTimeoutMs, drainMs = DRAIN_LIMIT_MS }: StartOptions): Promise<RunningServer> {
  const http = createHttpApp(logger);
  let engine: Engine | undefined;
  let slack: SlackAdapter | undefined;
  let slackReady = false;
  const slackHttp = express();
  const slackMounted = config.slack && !config.slack.appToken;
  http.readiness.wait('engine');
  if (config.slack) http.readiness.wait('slack');

  if (slackMounted) {
    http.app.post(EVENTS_PATH, (req: Request, res: Response, next: NextFunction) => {
      if (!slackReady) {
        res.status(503).json({ error: 'starting' });
        return;
      }
      slackHttp(req, res, next);
    });
  }
  if (config.teams.mode !== 'off') {
    mountTeams({ config: config.teams, engine: () => engine, logger, http: http.app, ...(sleep ? { sleep } : {}), ...(callTimeoutMs ? { callTimeoutMs } : {}) });
  }
  finishRoutes(http.app, logger);

  const { url, address } = await http.listen(config.port, config.host);
  const platforms = [
    config.slack ? `slack (${config.slack.appToken ? 'socket mode' : `http ${EVENTS_PATH}`})` : undefined,
    config.teams.mode === 'authenticated' ? 'teams (http /api/messages)' : undefined,
    config.teams.mode === 'local' ? 'teams (http /api/messages, local mode: no authentication, callers and replies on this machine only)' : undefined,
  ].filter(Boolean);
  logger.info({ address, url, platforms }, 'backup-triage is listening');
  if (config.teams.mode === 'local') {
    logger.warn({ url: `${url}/api/messages` }, 'Teams runs in local mode, for testing on this machine: it answers loopback callers only, and replies to loopback serviceUrls only. Set MicrosoftAppId and its password to serve Teams.');
  }
  if (!config.slack) logger.info('Slack is not configured: set SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET (or SLACK_APP_TOKEN) to answer on Slack');

  const ready = (async () => {
    await yieldToLoop(); // let the listening socket answer /livez before the engine is built
    engine = given ?? createBot({ logger });
    http.readiness.done('engine');
    if (config.slack) {
      slack = createSlackAdapter({ config: config.slack, engine, logger, tracker: http.tracker, http: slackHttp, ...(sleep ? { sleep } : {}), ...(callTimeoutMs ? { callTimeoutMs } : {}) });
      if (!(await slack.start())) return; // stopped before Slack was ready
      slackReady = true;
      http.readiness.done('slack');
    }
    logger.info({ platforms }, 'backup-triage is ready');
  })();
  ready.catch(() => undefined); // the caller decides what a failed start means

  return {
    url,
    address,
    http,
    ready,
    stop: async () => {
      await slack?.stop();
      await http.close(drainMs);
    },
  };
}
