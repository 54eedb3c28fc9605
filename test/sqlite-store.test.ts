import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SqliteStore } from '../src/store/sqlite.ts';
import { storeContract } from './helpers/store-contract.ts';

const dirs: string[] = [];
const freshDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'bt-sqlite-'));
  dirs.push(dir);
  return dir;
};
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

storeContract('sqlite', async () => {
  let now = Date.now();
  return {
    store: new SqliteStore({ dataDir: freshDir(), now: () => now }),
    advance: async (ms) => {
      now += ms;
    },
  };
});

describe('the SQLite store', () => {
  it('keeps threads, claims and the events log across a restart', async () => {
    const dir = freshDir();
    const before = new SqliteStore({ dataDir: dir });
    await before.set('thread', 't', { entries: ['mars/cache-problems'] }, 60_000);
    expect(await before.claim('seen', 'T1:C1:1700000000.1', 60_000)).toBe(true);
    await before.record({ at: Date.now(), type: 'feedback', platform: 'slack', language: 'en', value: 'up', entries: ['mars/cache-problems'] });
    await before.close();
    const after = new SqliteStore({ dataDir: dir });
    expect(await after.get('thread', 't')).toEqual({ entries: ['mars/cache-problems'] });
    expect(await after.claim('seen', 'T1:C1:1700000000.1', 60_000)).toBe(false);
    expect(await after.events(0)).toHaveLength(1);
    await after.close();
  });

  it('sweeps expired rows, so the file follows the live threads', async () => {
    let now = 1_000_000;
    const store = new SqliteStore({ dataDir: freshDir(), now: () => now });
    for (let i = 0; i < 100; i += 1) await store.set('thread', `t${i}`, i, 1000);
    now += 2000;
    store.sweep();
    now -= 2000; // read as if no time had passed: only a sweep can have removed them
    expect(await store.get('thread', 't1')).toBeUndefined();
    await store.close();
  });
});
