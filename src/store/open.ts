import { ConfigError, type StoreConfig } from '../server/config.ts';
import { MemoryStore } from './memory.ts';
import type { Store } from './store.ts';

/** How long start-up waits for Redis before it starts anyway, degraded until Redis answers. */
const REDIS_START_WAIT_MS = 3000;

/**
 * The configured store; its driver is loaded only here, so `ask` and `chat` never load one. A data
 * directory that can't be opened is a configuration error; a Redis that is down is not (the bot
 * answers without context until it is back).
 */
export async function openStore(config: StoreConfig | undefined): Promise<Store> {
  if (!config) return new MemoryStore({ maxEntries: 50_000 });
  if (config.kind === 'redis') {
    const { RedisStore } = await import('./redis.ts');
    const store = new RedisStore({ url: config.url });
    await store.connected(REDIS_START_WAIT_MS);
    return store;
  }
  const { SqliteStore } = await import('./sqlite.ts');
  try {
    return new SqliteStore({ dataDir: config.dataDir });
  } catch (error) {
    throw new ConfigError(`DATA_DIR (${config.dataDir}) can't hold the database (${(error as Error).message}): set it to a writable directory, or set REDIS_URL`);
  }
}
