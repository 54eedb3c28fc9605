import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { EVENTS_RETENTION_MS, type Store, type StoredEvent } from './store.ts';

export interface SqliteStoreOptions {
  /** The directory that holds `backup-triage.db`; created if missing. ":memory:" for none. */
  dataDir: string;
  now?: () => number;
  /** How often expired values and old events are swept. */
  sweepMs?: number;
}

/** The file under the data directory. */
export const DATABASE_FILE = 'backup-triage.db';

/**
 * The embedded default for one instance: a SQLite file in the data directory, in WAL mode, so
 * that threads and de-duplication survive a restart. Expired rows are swept on a timer.
 */
export class SqliteStore implements Store {
  readonly kind = 'sqlite';
  readonly #db: Database.Database;
  readonly #now: () => number;
  readonly #timer: NodeJS.Timeout;
  readonly #q;

  constructor(options: SqliteStoreOptions) {
    this.#now = options.now ?? Date.now;
    let file = ':memory:';
    if (options.dataDir !== ':memory:') {
      mkdirSync(options.dataDir, { recursive: true });
      file = join(options.dataDir, DATABASE_FILE);
    }
    this.#db = new Database(file);
    this.#db.pragma('journal_mode = WAL');
    this.#db.pragma('synchronous = NORMAL');
    this.#db.pragma('busy_timeout = 1000');
    this.#db.exec(`
      CREATE TABLE IF NOT EXISTS kv (space TEXT NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL, expires INTEGER NOT NULL, PRIMARY KEY (space, key)) WITHOUT ROWID;
      CREATE INDEX IF NOT EXISTS kv_expires ON kv (expires);
      CREATE TABLE IF NOT EXISTS events (id INTEGER PRIMARY KEY, at INTEGER NOT NULL, event TEXT NOT NULL);
      CREATE INDEX IF NOT EXISTS events_at ON events (at);
    `);
    this.#q = {
      get: this.#db.prepare<[string, string, number], { value: string }>('SELECT value FROM kv WHERE space = ? AND key = ? AND expires > ?'),
      set: this.#db.prepare('INSERT INTO kv (space, key, value, expires) VALUES (?, ?, ?, ?) ON CONFLICT (space, key) DO UPDATE SET value = excluded.value, expires = excluded.expires'),
      delete: this.#db.prepare('DELETE FROM kv WHERE space = ? AND key = ?'),
      // Inserts, or takes over a key whose time is up; a live key is left alone and changes nothing.
      claim: this.#db.prepare(
        'INSERT INTO kv (space, key, value, expires) VALUES (?, ?, 1, ?) ON CONFLICT (space, key) DO UPDATE SET value = excluded.value, expires = excluded.expires WHERE kv.expires <= ?',
      ),
      record: this.#db.prepare('INSERT INTO events (at, event) VALUES (?, ?)'),
      events: this.#db.prepare<[number], { event: string }>('SELECT event FROM events WHERE at >= ? ORDER BY at, id'),
      sweep: this.#db.prepare('DELETE FROM kv WHERE expires <= ?'),
      prune: this.#db.prepare('DELETE FROM events WHERE at < ?'),
    };
    this.#timer = setInterval(() => this.sweep(), options.sweepMs ?? 60_000);
    this.#timer.unref();
  }

  async get(space: string, key: string): Promise<unknown> {
    const row = this.#q.get.get(space, key, this.#now());
    return row ? JSON.parse(row.value) : undefined;
  }

  async set(space: string, key: string, value: unknown, ttlMs: number): Promise<void> {
    this.#q.set.run(space, key, JSON.stringify(value), this.#now() + ttlMs);
  }

  async delete(space: string, key: string): Promise<void> {
    this.#q.delete.run(space, key);
  }

  async claim(space: string, key: string, ttlMs: number): Promise<boolean> {
    const now = this.#now();
    return this.#q.claim.run(space, key, now + ttlMs, now).changes === 1;
  }

  async record(event: StoredEvent): Promise<void> {
    this.#q.record.run(event.at, JSON.stringify(event));
  }

  async events(since: number): Promise<StoredEvent[]> {
    return this.#q.events.all(since).map((r) => JSON.parse(r.event) as StoredEvent);
  }

  async ping(): Promise<void> {
    this.#db.prepare('SELECT 1').get();
  }

  /** Deletes expired values and events past retention. */
  sweep(): void {
    const now = this.#now();
    this.#q.sweep.run(now);
    this.#q.prune.run(now - EVENTS_RETENTION_MS);
  }

  async close(): Promise<void> {
    clearInterval(this.#timer);
    if (this.#db.open) this.#db.close();
  }
}
