import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisStore } from '../src/store/redis.ts';
import { ResilientStore } from '../src/store/resilient.ts';
import { createLogger } from '../src/server/logger.ts';
import { redisMissing, startRedis, type RedisServer } from './helpers/redis-server.ts';
import { storeContract } from './helpers/store-contract.ts';

const missing = redisMissing();
let redis: RedisServer | undefined;
const opened: RedisStore[] = [];
let namespace = 0;

beforeAll(async () => {
  if (!missing) redis = await startRedis();
}, 20_000);
afterAll(async () => {
  for (const s of opened) await s.close();
  await redis?.stop();
});

async function open(prefix = `t${(namespace += 1)}:`): Promise<RedisStore> {
  const store = new RedisStore({ url: redis!.url, prefix });
  opened.push(store);
  await store.connected(5000);
  return store;
}

// Redis keeps its own time: the contract's time passes for real.
storeContract('redis', async () => ({ store: await open(), advance: (ms) => sleep(ms) }), missing);

describe.skipIf(missing !== undefined)('the Redis store', () => {
  it('keeps threads and claims for another client, as another instance would see them', async () => {
    const a = await open('shared:');
    const b = await open('shared:');
    await a.set('thread', 't', { entries: ['iaasvm/vm-agent-update'] }, 60_000);
    expect(await b.get('thread', 't')).toEqual({ entries: ['iaasvm/vm-agent-update'] });
    expect(await a.claim('seen', 'E1', 60_000)).toBe(true);
    expect(await b.claim('seen', 'E1', 60_000)).toBe(false);
  });

  it('while Redis is down: fails fast, de-duplicates locally, and works again once it is back', async () => {
    const inner = await open();
    const errors: string[] = [];
    const store = new ResilientStore(inner, createLogger('silent'), { onError: (op) => errors.push(op) });
    await store.set('thread', 'before', 1, 60_000);
    await redis!.stop();
    const started = Date.now();
    expect(await store.get('thread', 'before')).toBeUndefined();
    expect(await store.claim('seen', 'during', 60_000)).toBe(true);
    expect(await store.claim('seen', 'during', 60_000)).toBe(false);
    await store.set('thread', 'during', 2, 60_000);
    expect(Date.now() - started).toBeLessThan(3000);
    expect(store.health()).toMatchObject({ store: 'redis', ok: false });
    expect(errors.length).toBeGreaterThan(0);
    await redis!.start();
    await expect.poll(async () => {
      await store.set('thread', 'after', 3, 60_000);
      return store.get('thread', 'after');
    }, { timeout: 10_000, interval: 200 }).toBe(3);
    expect(store.health()).toEqual({ store: 'redis', ok: true });
  }, 30_000);
});
