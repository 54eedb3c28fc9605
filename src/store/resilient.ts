import type { Logger } from '../server/logger.ts';
import { MemoryStore } from './memory.ts';
import type { Store, StoredEvent } from './store.ts';

/** How often a store that keeps failing is logged. */
const LOG_EVERY_MS = 30_000;
/** How often a store that is down is checked, so that its health is known without traffic. */
const PROBE_EVERY_MS = 2000;

export interface StoreHealth {
  store: string;
  ok: boolean;
  /** While degraded: since when (ISO time) and the last error. */
  since?: string;
  error?: string;
}

/**
 * A store whose failures cost only context: a read that fails is "nothing remembered", a write
 * that fails is dropped, and de-duplication falls back to this process's own memory. The first
 * failure and the recovery are logged, and every failure counted.
 */
export class ResilientStore implements Store {
  readonly kind: string;
  readonly #inner: Store;
  readonly #local = new MemoryStore({ maxEntries: 50_000 });
  readonly #logger: Logger;
  readonly #onError: (op: string) => void;
  readonly #onOperation: (op: string) => void;
  #down: { since: number; error: string; logged: number } | undefined;
  #probe: NodeJS.Timeout | undefined;

  constructor(inner: Store, logger: Logger, hooks: { onError?: (op: string) => void; onOperation?: (op: string) => void } = {}) {
    this.#inner = inner;
    this.kind = inner.kind;
    this.#logger = logger;
    this.#onError = hooks.onError ?? (() => undefined);
    this.#onOperation = hooks.onOperation ?? (() => undefined);
  }

  health(): StoreHealth {
    if (!this.#down) return { store: this.kind, ok: true };
    return { store: this.kind, ok: false, since: new Date(this.#down.since).toISOString(), error: this.#down.error };
  }

  async #try<T>(op: string, work: () => Promise<T>, fallback: () => T | Promise<T>): Promise<T> {
    this.#onOperation(op);
    try {
      const result = await work();
      if (this.#down) {
        this.#logger.info({ store: this.kind, downMs: Date.now() - this.#down.since }, 'the store is back; thread context works again');
        this.#down = undefined;
        clearInterval(this.#probe);
        this.#probe = undefined;
      }
      return result;
    } catch (error) {
      this.#onError(op);
      const message = error instanceof Error ? error.message : String(error);
      const now = Date.now();
      if (!this.#down) {
        this.#down = { since: now, error: message, logged: 0 };
        this.#probe = setInterval(() => void this.ping(), PROBE_EVERY_MS);
        this.#probe.unref();
      }
      this.#down.error = message;
      if (now - this.#down.logged >= LOG_EVERY_MS) {
        this.#down.logged = now;
        this.#logger.warn({ store: this.kind, op, err: message }, 'the store failed; answering without thread context');
      }
      return fallback();
    }
  }

  get(space: string, key: string): Promise<unknown> {
    return this.#try('get', () => this.#inner.get(space, key), () => undefined);
  }

  set(space: string, key: string, value: unknown, ttlMs: number): Promise<void> {
    return this.#try('set', () => this.#inner.set(space, key, value, ttlMs), () => undefined);
  }

  delete(space: string, key: string): Promise<void> {
    return this.#try('delete', () => this.#inner.delete(space, key), () => undefined);
  }

  /** While the store is down, a key claimed in this process stays claimed here. */
  async claim(space: string, key: string, ttlMs: number): Promise<boolean> {
    const here = await this.#local.claim(space, key, ttlMs);
    return this.#try('claim', () => this.#inner.claim(space, key, ttlMs), () => here);
  }

  record(event: StoredEvent): Promise<void> {
    return this.#try('record', () => this.#inner.record(event), () => undefined);
  }

  events(since: number): Promise<StoredEvent[]> {
    return this.#inner.events(since);
  }

  ping(): Promise<void> {
    return this.#try('ping', () => this.#inner.ping(), () => undefined);
  }

  close(): Promise<void> {
    clearInterval(this.#probe);
    return this.#inner.close();
  }
}
