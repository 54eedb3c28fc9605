import type { ContextStore } from '../core/ports.ts';

/** Where a turn happened. */
export type Channel = 'slack' | 'teams';

/** How a message was answered, for the metrics and the report. */
export type Outcome = 'answered' | 'could-also-be' | 'suggested' | 'no-match' | 'follow-up';

/**
 * One line of the feedback and events log: every message's outcome, 👍/👎, and the pick from a
 * "did you mean". Only unanswered messages keep their text, and only redacted.
 */
export type StoredEvent =
  | { at: number; type: 'message'; platform: Channel; language: string; outcome: Outcome; entries: string[]; text?: string }
  | { at: number; type: 'feedback'; platform: Channel; language: string; value: 'up' | 'down'; entries: string[] }
  | { at: number; type: 'pick'; platform: Channel; language: string; entry: string };

/**
 * Everything instances share: values with a time to live (thread context, the user-locale cache),
 * event de-duplication, and the events log. Values go in as JSON and come back as fresh copies.
 */
export interface Store {
  /** "memory", "sqlite" or "redis", for the logs and /readyz. */
  readonly kind: string;
  get(space: string, key: string): Promise<unknown>;
  set(space: string, key: string, value: unknown, ttlMs: number): Promise<void>;
  delete(space: string, key: string): Promise<void>;
  /** Set-if-absent with expiry: true for the first caller, false while the key lives. */
  claim(space: string, key: string, ttlMs: number): Promise<boolean>;
  record(event: StoredEvent): Promise<void>;
  /** The events at or after `since` (ms since the epoch), oldest first. */
  events(since: number): Promise<StoredEvent[]>;
  /** Throws when the store can't be reached. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** One space of a store as the engine's context port. */
export function contextStore<T>(store: Store, space: string, ttlMs: number): ContextStore<T> {
  return {
    get: async (key) => (await store.get(space, key)) as T | undefined,
    set: (key, value) => store.set(space, key, value, ttlMs),
    delete: (key) => store.delete(space, key),
  };
}

/** How long the events log keeps a line. */
export const EVENTS_RETENTION_MS = 90 * 24 * 60 * 60 * 1000;
