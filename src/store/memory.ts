import { EVENTS_RETENTION_MS, type Store, type StoredEvent } from './store.ts';

export interface MemoryStoreOptions {
  /** The most values kept; the least recently written go first. */
  maxEntries?: number;
  /** The most events kept. */
  maxEvents?: number;
  now?: () => number;
}

/**
 * The store for tests, `ask` and `chat`: one process's memory. Expired values are swept as new
 * ones are written, so memory follows the live threads, not every thread ever seen.
 */
export class MemoryStore implements Store {
  readonly kind = 'memory';
  readonly #items = new Map<string, { json: string; expires: number }>();
  readonly #events: StoredEvent[] = [];
  readonly #max: number;
  readonly #maxEvents: number;
  readonly #now: () => number;

  constructor(options: MemoryStoreOptions = {}) {
    this.#max = options.maxEntries ?? 10_000;
    this.#maxEvents = options.maxEvents ?? 10_000;
    this.#now = options.now ?? Date.now;
  }

  get size(): number {
    return this.#items.size;
  }

  async get(space: string, key: string): Promise<unknown> {
    const json = this.#read(space, key);
    return json === undefined ? undefined : JSON.parse(json);
  }

  async set(space: string, key: string, value: unknown, ttlMs: number): Promise<void> {
    this.#write(space, key, JSON.stringify(value), ttlMs);
  }

  async delete(space: string, key: string): Promise<void> {
    this.#items.delete(`${space}\u0000${key}`);
  }

  /** Checked and set in one step, with no await between: two claims can't both win. */
  async claim(space: string, key: string, ttlMs: number): Promise<boolean> {
    if (this.#read(space, key) !== undefined) return false;
    this.#write(space, key, '1', ttlMs);
    return true;
  }

  #read(space: string, key: string): string | undefined {
    const id = `${space}\u0000${key}`;
    const item = this.#items.get(id);
    if (!item) return undefined;
    if (item.expires <= this.#now()) {
      this.#items.delete(id);
      return undefined;
    }
    return item.json;
  }

  #write(space: string, key: string, json: string, ttlMs: number): void {
    const id = `${space}\u0000${key}`;
    this.#items.delete(id);
    this.#items.set(id, { json, expires: this.#now() + ttlMs });
    this.#sweep();
  }

  async record(event: StoredEvent): Promise<void> {
    this.#events.push(structuredClone(event));
    const old = this.#now() - EVENTS_RETENTION_MS;
    while (this.#events.length > this.#maxEvents || (this.#events[0] && this.#events[0].at < old)) this.#events.shift();
  }

  async events(since: number): Promise<StoredEvent[]> {
    return this.#events.filter((e) => e.at >= since).map((e) => structuredClone(e));
  }

  async ping(): Promise<void> {}

  async close(): Promise<void> {
    this.#items.clear();
  }

  /** Drops expired values from the oldest writes on, and the oldest writes past the bound. */
  #sweep(): void {
    const now = this.#now();
    for (const [id, item] of this.#items) {
      if (this.#items.size > this.#max || item.expires <= now) this.#items.delete(id);
      else break;
    }
  }
}
