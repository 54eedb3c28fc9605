import { ConfigError, readServeConfig } from '../server/config.ts';
import { createLogger } from '../server/logger.ts';
import { startBot } from '../compose.ts';
import { UsageError } from './args.ts';
import type { Io } from './main.ts';

export const SERVE_USAGE = `Usage: backup-triage serve

Starts the HTTP server (HOST, default 0.0.0.0; PORT, default 3978) with GET /livez and GET /readyz,
for every configured platform.
Slack: SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET (HTTP at /slack/events), or SLACK_BOT_TOKEN and
SLACK_APP_TOKEN (Socket Mode). Optional: SLACK_API_URL, SLACK_PASSIVE=off, LOG_LEVEL.
Teams: POST /api/messages, authenticated with MicrosoftAppId, MicrosoftAppPassword,
MicrosoftAppType and MicrosoftAppTenantId. Without them, local mode (loopback callers and replies
only): on when no platform is configured, or with TEAMS_LOCAL=on; TEAMS_LOCAL=off turns it off.`;

/** How often the server checks that the process that started it is still there. */
const PARENT_CHECK_MS = 500;

/**
 * Runs until SIGTERM or SIGINT (or until the process that started it goes away, as when `npx`'s
 * shell is stopped), then stops taking requests, finishes the answers in flight and exits.
 */
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
  const server = await startBot({ config, logger });

  let parentWatch: NodeJS.Timeout | undefined;
  const handlers: [NodeJS.Signals, () => void][] = [];
  const stopped = new Promise<string>((resolve) => {
    for (const signal of ['SIGTERM', 'SIGINT'] as const) {
      const handler = () => resolve(signal);
      handlers.push([signal, handler]);
      process.once(signal, handler);
    }
    const parent = process.ppid;
    parentWatch = setInterval(() => {
      if (process.ppid !== parent) resolve('parent exited');
    }, PARENT_CHECK_MS);
    parentWatch.unref();
  });
  const failed = server.ready.then(
    () => new Promise<never>(() => undefined),
    (error: unknown) => error,
  );
  const outcome = await Promise.race([stopped.then((signal) => ({ signal })), failed.then((error) => ({ error }))]);
  clearInterval(parentWatch);
  for (const [signal, handler] of handlers) process.off(signal, handler);

  if ('error' in outcome) {
    await server.stop();
    if (outcome.error instanceof ConfigError) {
      io.err(`backup-triage: ${outcome.error.message}`);
      return 1;
    }
    throw outcome.error;
  }
  logger.info({ signal: outcome.signal }, 'stopping: finishing the answers in flight');
  await server.stop();
  logger.info('stopped');
  return 0;
}
