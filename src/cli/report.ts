import { ConfigError, readStoreConfig } from '../server/config.ts';
import { buildReport, formatReport, parseSince } from '../report/report.ts';
import { openStore } from '../store/open.ts';
import { parseArgs, UsageError } from './args.ts';
import type { Io } from './main.ts';


export async function reportCommand(argv: string[], io: Io, env: NodeJS.ProcessEnv = process.env, now = Date.now()): Promise<number> {
  const { positionals, flags } = parseArgs(argv, ['json'], ['since']);
  if (positionals.length > 0) throw new UsageError(`report takes no arguments (got "${positionals[0]}")`);
  const sinceFlag = flags.get('since');
  const since = parseSince(typeof sinceFlag === 'string' ? sinceFlag : '7d', now);
  if (since === undefined) throw new UsageError(`--since takes a period such as 24h, 7d or 2w, or a date (got "${String(sinceFlag)}")`);
  let config;
  let store;
  try {
    config = readStoreConfig(env);
    store = await openStore(config);
  } catch (error) {
    if (error instanceof ConfigError) {
      io.err(`backup-triage: ${error.message}`);
      return 1;
    }
    throw error;
  }
  try {
    const report = buildReport(await store.events(since), since, now);
    io.out(flags.has('json') ? JSON.stringify(report) : formatReport(report, config.kind === 'redis' ? 'redis' : `sqlite, ${config.dataDir}`));
    return 0;
  } catch (error) {
    const where = config.kind === 'redis' ? 'Redis at REDIS_URL did not answer; check that it runs and can be reached' : `the database in DATA_DIR (${config.dataDir}) could not be read`;
    io.err(`backup-triage: could not read the events log: ${where} (${error instanceof Error ? error.message : String(error)})`);
    return 1;
  } finally {
    await store.close();
  }
}
