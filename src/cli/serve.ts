import { ConfigError, readServeConfig } from '../server/config.ts';
import { createLogger } from '../server/logger.ts';
import { startBot } from '../compose.ts';
import { parseArgs, UsageError } from './args.ts';
import type { Io, Runtime } from './main.ts';

/** How often the server checks that the process that started it is still there. */
const PARENT_CHECK_MS = 500;

/**
 * Runs until SIGTERM or SIGINT (or until the process that started it goes away, as when `npx`'s
 * shell is stopped), then stops taking requests, finishes the answers in flight and exits.
 */
export async function serveCommand(args: string[], io: Io, runtime: Pick<Runtime, 'prepared'> = {}, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const { positionals } = parseArgs(args, []);
  if (positionals.length > 0) throw new UsageError(`serve takes no arguments (got "${positionals[0]}")`);
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
  const server = await startBot({ config, logger, ...(runtime.prepared ? { prepared: runtime.prepared } : {}) });

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
