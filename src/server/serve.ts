import { createSlackAdapter, type SlackAdapter } from '../adapters/slack/app.ts';
import { mountTeams } from '../adapters/teams/endpoint.ts';
import { createBot } from '../compose.ts';
import type { Engine } from '../core/engine.ts';
import type { ServeConfig } from './config.ts';
import { createHttpApp, type HttpApp } from './http.ts';
import type { Logger } from './logger.ts';

export interface RunningServer {
  url: string;
  http: HttpApp;
  slack?: SlackAdapter;
  /** Stops taking requests, finishes the answers in flight, and closes every platform. */
  stop(): Promise<void>;
}

export interface StartOptions {
  config: ServeConfig;
  logger: Logger;
  engine?: Engine;
  /** Interface to listen on (default all). */
  host?: string;
}

/** Starts the one HTTP server with every configured platform on it. */
export async function startServer({ config, logger, engine: given, host }: StartOptions): Promise<RunningServer> {
  const engine = given ?? createBot({ logger });
  const http = createHttpApp(logger);
  let slack: SlackAdapter | undefined;
  if (config.slack) {
    slack = createSlackAdapter({ config: config.slack, engine, logger, tracker: http.tracker, http: http.app });
    await slack.start();
  }
  mountTeams({ config: config.teams, engine, logger, http: http.app });
  const { url } = await http.listen(config.port, host);
  http.ready();
  const platforms = [
    config.slack ? `slack (${config.slack.appToken ? 'socket mode' : 'http /slack/events'})` : undefined,
    `teams (http /api/messages${config.teams.appId ? '' : ', unauthenticated'})`,
  ].filter(Boolean);
  if (!config.slack) logger.info('Slack is not configured: set SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET (or SLACK_APP_TOKEN) to answer on Slack');
  logger.info({ url, platforms }, 'backup-triage is listening');
  return {
    url,
    http,
    ...(slack ? { slack } : {}),
    stop: async () => {
      await http.close();
      await slack?.stop();
    },
  };
}
