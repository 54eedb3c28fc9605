import { describe, expect, it } from 'vitest';
import { MemoryStore } from '../src/store/context-store.ts';
import { storeContract } from './helpers/store-contract.ts';

storeContract('memory', (ttlMs) => {
  let now = 0;
  return {
    store: new MemoryStore({ ttlMs, now: () => now }),
    advance: async (ms) => {
      now += ms;
    },
  };
});

describe('the memory store', () => {
  it('drops the least recently saved thread past its size', async () => {
    const store = new MemoryStore<{ n: number }>({ ttlMs: 60_000, maxEntries: 2 });
    await store.set('b', { n: 2 });
    await store.set('c', { n: 3 });
    await store.set('d', { n: 4 });
    expect(await store.get('b')).toBeUndefined();
    expect(await store.get('c')).toEqual({ n: 3 });
    expect(await store.get('d')).toEqual({ n: 4 });
  });
});
