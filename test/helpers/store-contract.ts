import { describe, expect, it } from 'vitest';
import type { Store, StoredEvent } from '../../src/store/store.ts';

/** A store under test, with a way to let time pass for it. */
export interface StoreUnderTest {
  store: Store;
  /** Lets `ms` pass, as the store sees time. */
  advance(ms: number): Promise<void>;
}

const event = (at: number, text: string): StoredEvent => ({ at, type: 'message', platform: 'slack', language: 'en', outcome: 'no-match', entries: [], text });

/**
 * What every store must do; each implementation runs this suite. `make` gives a fresh, empty store
 * (its own namespace); `skip` names why the suite can't run here.
 */
export function storeContract(name: string, make: () => Promise<StoreUnderTest>, skip?: string): void {
  describe.skipIf(skip !== undefined)(`${name}: the store contract`, () => {
    it('returns undefined for a key it never saw', async () => {
      const { store } = await make();
      expect(await store.get('thread', 'never')).toBeUndefined();
    });

    it('gives back what was saved, as a copy that later changes do not touch', async () => {
      const { store } = await make();
      const value = { n: 1, list: ['a'], text: 'häll\u00f6 "quoted" \u{1F44D}' };
      await store.set('thread', 't', value, 60_000);
      value.list.push('changed after saving');
      const read = (await store.get('thread', 't')) as typeof value;
      expect(read).toEqual({ n: 1, list: ['a'], text: 'häll\u00f6 "quoted" \u{1F44D}' });
      read.list.push('changed after reading');
      expect(await store.get('thread', 't')).toEqual({ n: 1, list: ['a'], text: 'häll\u00f6 "quoted" \u{1F44D}' });
    });

    it('keeps keys and spaces apart, overwrites, and deletes', async () => {
      const { store } = await make();
      await store.set('thread', 'a', 1, 60_000);
      await store.set('locale', 'a', 'nl-NL', 60_000);
      await store.set('thread', 'b', 2, 60_000);
      await store.set('thread', 'a', 3, 60_000);
      expect(await store.get('thread', 'a')).toBe(3);
      expect(await store.get('locale', 'a')).toBe('nl-NL');
      await store.delete('thread', 'a');
      await store.delete('thread', 'never-there');
      expect(await store.get('thread', 'a')).toBeUndefined();
      expect(await store.get('locale', 'a')).toBe('nl-NL');
      expect(await store.get('thread', 'b')).toBe(2);
    });

    it('forgets a value after its time to live, counted from its last save', async () => {
      const { store, advance } = await make();
      await store.set('thread', 't', 1, 1000);
      await advance(600);
      await store.set('thread', 't', 2, 1000);
      await advance(600);
      expect(await store.get('thread', 't')).toBe(2);
      await advance(600);
      expect(await store.get('thread', 't')).toBeUndefined();
    });

    it('claims a key once while it lives, and again after it expired', async () => {
      const { store, advance } = await make();
      expect(await store.claim('seen', 'e1', 1000)).toBe(true);
      expect(await store.claim('seen', 'e1', 1000)).toBe(false);
      expect(await store.claim('seen', 'e2', 1000)).toBe(true);
      await advance(1200);
      expect(await store.claim('seen', 'e1', 1000)).toBe(true);
    });

    it('gives a key to exactly one of many claims made at once', async () => {
      const { store } = await make();
      const results = await Promise.all(Array.from({ length: 20 }, () => store.claim('seen', 'race', 60_000)));
      expect(results.filter(Boolean)).toHaveLength(1);
    });

    it('keeps the events log in order and reads it from a time on', async () => {
      const { store } = await make();
      const now = Date.now();
      await store.record(event(now - 5000, 'old'));
      await store.record(event(now, 'first'));
      await store.record({ at: now + 1, type: 'feedback', platform: 'teams', language: 'sv', value: 'down', entries: ['mars/cache-problems'] });
      await store.record({ at: now + 2, type: 'pick', platform: 'slack', language: 'nl', entry: 'mabs/agent-cannot-connect-to-azure-backup' });
      const read = await store.events(now - 1000);
      expect(read.map((e) => e.type)).toEqual(['message', 'feedback', 'pick']);
      expect(read[0]).toEqual(event(now, 'first'));
      expect(read[1]).toMatchObject({ value: 'down', entries: ['mars/cache-problems'] });
      expect((await store.events(now - 10_000)).length).toBe(4);
    });
  });
}
