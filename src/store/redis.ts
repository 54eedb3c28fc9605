import { Redis } from 'ioredis';
import type { Store, StoredEvent } from './store.ts';

/** How far instance clocks and Redis's may differ. */
const CLOCK_MARGIN_MS = 5 * 60 * 1000;

export interface RedisStoreOptions {
  url: string;
  /** A command that takes longer fails, so that a stalled Redis can't hold an answer. */
  commandTimeoutMs?: number;
  /** Key prefix, so that several deployments can share one Redis. */
  prefix?: string;
  /** The most events the log keeps (a capped stream). */
  maxEvents?: number;
}

/**
 * The store for several instances: one Redis shared by all. Commands time out, reconnects back
 * off up to 2 s, and while Redis is away commands fail at once instead of queueing without bound.
 */
export class RedisStore implements Store {
  readonly kind = 'redis';
  readonly client: Redis;
  readonly #prefix: string;
  readonly #maxEvents: number;

  constructor(options: RedisStoreOptions) {
    this.#prefix = options.prefix ?? 'bt:';
    this.#maxEvents = options.maxEvents ?? 100_000;
    this.client = new Redis(options.url, {
      commandTimeout: options.commandTimeoutMs ?? 500,
      connectTimeout: 2000,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      retryStrategy: (times) => Math.min(100 * 2 ** Math.min(times, 5), 2000),
      lazyConnect: false,
    });
    // Errors are reported by the commands that fail; this only keeps them off the process.
    this.client.on('error', () => undefined);
  }

  /** Resolves once connected, or after `timeoutMs` (true when connected). */
  async connected(timeoutMs: number): Promise<boolean> {
    if (this.client.status === 'ready') return true;
    return new Promise((resolve) => {
      const done = (ok: boolean) => {
        clearTimeout(timer);
        this.client.off('ready', onReady);
        resolve(ok);
      };
      const onReady = () => done(true);
      const timer = setTimeout(() => done(false), timeoutMs);
      this.client.once('ready', onReady);
    });
  }

  #key(space: string, key: string): string {
    return `${this.#prefix}${space}:${key}`;
  }

  async get(space: string, key: string): Promise<unknown> {
    const value = await this.client.get(this.#key(space, key));
    return value === null ? undefined : JSON.parse(value);
  }

  async set(space: string, key: string, value: unknown, ttlMs: number): Promise<void> {
    await this.client.set(this.#key(space, key), JSON.stringify(value), 'PX', Math.max(1, Math.round(ttlMs)));
  }

  async delete(space: string, key: string): Promise<void> {
    await this.client.del(this.#key(space, key));
  }

  async claim(space: string, key: string, ttlMs: number): Promise<boolean> {
    return (await this.client.set(this.#key(space, key), '1', 'PX', Math.max(1, Math.round(ttlMs)), 'NX')) === 'OK';
  }

  async record(event: StoredEvent): Promise<void> {
    // Stream ids are "<ms>-<n>" of Redis's clock, so the log reads back by time with XRANGE.
    await this.client.xadd(`${this.#prefix}events`, 'MAXLEN', '~', String(this.#maxEvents), '*', 'e', JSON.stringify(event));
  }

  /**
   * Stream ids carry Redis's clock, events their instance's: the range starts a margin earlier, and
   * the events are then chosen and ordered by their own time.
   */
  async events(since: number): Promise<StoredEvent[]> {
    const out: StoredEvent[] = [];
    let start = String(Math.max(0, Math.floor(since - CLOCK_MARGIN_MS)));
    for (;;) {
      const batch = await this.client.xrange(`${this.#prefix}events`, start, '+', 'COUNT', 1000);
      for (const [, fields] of batch) out.push(JSON.parse(fields[1]!) as StoredEvent);
      if (batch.length < 1000) break;
      start = `(${batch.at(-1)![0]}`;
    }
    return out.filter((e) => e.at >= since).sort((a, b) => a.at - b.at);
  }

  async ping(): Promise<void> {
    await this.client.ping();
  }

  async close(): Promise<void> {
    this.client.disconnect();
  }
}
