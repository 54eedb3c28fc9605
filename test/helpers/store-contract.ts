import { describe, expect, it } from 'vitest';
import type { ContextStore } from '../../src/core/ports.ts';

/** A store under test, with a way to let time pass for it. */
export interface StoreUnderTest {
  store: ContextStore<{ n: number; list: string[] }>;
  /** Lets `ms` pass, as the store sees time. */
  advance(ms: number): Promise<void>;
}

/** What every context store must do; each implementation runs this suite. */
export function storeContract(name: string, make: (ttlMs: number) => StoreUnderTest | Promise<StoreUnderTest>): void {
  describe(`${name}: the context store contract`, () => {
    it('returns undefined for a thread it never saw', async () => {
      const { store } = await make(60_000);
      expect(await store.get('never')).toBeUndefined();
    });

    it('gives back what was saved, as a copy that later changes do not touch', async () => {
      const { store } = await make(60_000);
      const value = { n: 1, list: ['a'] };
      await store.set('t', value);
      value.list.push('changed after saving');
      const read = await store.get('t');
      expect(read).toEqual({ n: 1, list: ['a'] });
      read!.list.push('changed after reading');
      expect(await store.get('t')).toEqual({ n: 1, list: ['a'] });
    });

    it('keeps threads apart, overwrites, and deletes', async () => {
      const { store } = await make(60_000);
      await store.set('a', { n: 1, list: [] });
      await store.set('b', { n: 2, list: [] });
      await store.set('a', { n: 3, list: ['x'] });
      expect(await store.get('a')).toEqual({ n: 3, list: ['x'] });
      expect(await store.get('b')).toEqual({ n: 2, list: [] });
      await store.delete('a');
      await store.delete('never-there');
      expect(await store.get('a')).toBeUndefined();
      expect(await store.get('b')).toEqual({ n: 2, list: [] });
    });

    it('forgets a thread after its time to live, counted from its last save', async () => {
      const { store, advance } = await make(1000);
      await store.set('t', { n: 1, list: [] });
      await advance(600);
      await store.set('t', { n: 2, list: [] });
      await advance(600);
      expect(await store.get('t')).toEqual({ n: 2, list: [] });
      await advance(600);
      expect(await store.get('t')).toBeUndefined();
    });
  });
}
