import { ConfigError, readServeConfig } from '../server/config.ts';
import { createLogger } from '../server/logger.ts';
import { startServer } from '../server/serve.ts';
import { UsageError } from './args.ts';
import type { Io } from './main.ts';

export const SERVE_USAGE = `Usage: backup-triage serve

Starts the HTTP server (PORT, default 3978) for every configured platform, with GET /healthz.
Slack: SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET (HTTP at /slack/events), or SLACK_BOT_TOKEN and
SLACK_APP_TOKEN (Socket Mode). Optional: SLACK_API_URL, SLACK_PASSIVE=off, LOG_LEVEL.
Teams: POST /api/messages, authenticated with MicrosoftAppId, MicrosoftAppPassword,
MicrosoftAppType and MicrosoftAppTenantId; with none of them set, unauthenticated (local use).`;

/** Runs until SIGTERM or SIGINT, then stops taking requests, finishes the answers in flight and exits. */
export async function serveCommand(args: string[], io: Io, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    io.out(SERVE_USAGE);
    return 0;
  }
  if (args.length > 0) throw new UsageError(`serve takes no arguments (got "${args[0]}")`);
  let config;
  try {
    config = readServeConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) {
      io.err(`backup-triage: ${error.message}`);
      return 1;
    }
    throw error;
  }
  const logger = createLogger(config.logLevel);
  const server = await startServer({ config, logger });
  await new Promise<void>((resolve) => {
    const stop = (signal: string) => {
      logger.info({ signal }, 'stopping: finishing the answers in flight');
      resolve();
    };
    process.once('SIGTERM', () => stop('SIGTERM'));
    process.once('SIGINT', () => stop('SIGINT'));
  });
  await server.stop();
  logger.info('stopped');
  return 0;
}
