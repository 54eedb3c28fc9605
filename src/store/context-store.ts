import type { ContextStore } from '../core/ports.ts';

export type { ContextStore };

export interface MemoryStoreOptions {
  /** How long a thread's context lives after its last message. */
  ttlMs: number;
  /** The most threads kept; the least recently used go first. */
  maxEntries?: number;
  now?: () => number;
}

/** The default store: in memory, with a time to live and a bound on size. */
export class MemoryStore<T> implements ContextStore<T> {
  readonly #items = new Map<string, { value: T; expires: number }>();
  readonly #ttl: number;
  readonly #max: number;
  readonly #now: () => number;

  constructor(options: MemoryStoreOptions) {
    this.#ttl = options.ttlMs;
    this.#max = options.maxEntries ?? 10_000;
    this.#now = options.now ?? Date.now;
  }

  async get(key: string): Promise<T | undefined> {
    const item = this.#items.get(key);
    if (!item) return undefined;
    if (item.expires <= this.#now()) {
      this.#items.delete(key);
      return undefined;
    }
    return structuredClone(item.value);
  }

  async set(key: string, value: T): Promise<void> {
    this.#items.delete(key);
    this.#items.set(key, { value: structuredClone(value), expires: this.#now() + this.#ttl });
    while (this.#items.size > this.#max) {
      const oldest = this.#items.keys().next().value;
      if (oldest === undefined) break;
      this.#items.delete(oldest);
    }
  }

  async delete(key: string): Promise<void> {
    this.#items.delete(key);
  }
}
