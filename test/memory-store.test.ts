import { describe, expect, it } from 'vitest';
import { MemoryStore } from '../src/store/memory.ts';
import { storeContract } from './helpers/store-contract.ts';

storeContract('memory', async () => {
  let now = Date.now();
  return {
    store: new MemoryStore({ now: () => now }),
    advance: async (ms) => {
      now += ms;
    },
  };
});

describe('the memory store', () => {
  it('drops the least recently saved value past its size', async () => {
    const store = new MemoryStore({ maxEntries: 2 });
    await store.set('thread', 'b', 2, 60_000);
    await store.set('thread', 'c', 3, 60_000);
    await store.set('thread', 'd', 4, 60_000);
    expect(await store.get('thread', 'b')).toBeUndefined();
    expect(await store.get('thread', 'c')).toBe(3);
    expect(await store.get('thread', 'd')).toBe(4);
  });

  it('sweeps expired values as new ones are saved, so memory follows the live threads', async () => {
    let now = 0;
    const store = new MemoryStore({ now: () => now });
    for (let i = 0; i < 1000; i += 1) await store.set('thread', `old-${i}`, i, 1000);
    now += 2000;
    await store.set('thread', 'new', 1, 1000);
    expect(store.size).toBe(1);
  });
});
