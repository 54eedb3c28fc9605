/**
 * The ports the core needs from outside: where threads are remembered, and where warnings go.
 * Implementations live outside the core (`src/store/`, the server's logger).
 */

/** Keeps a thread's dialogue context between messages. Implementations may be remote, so async. */
export interface ContextStore<T> {
  get(key: string): Promise<T | undefined>;
  set(key: string, value: T): Promise<void>;
  delete(key: string): Promise<void>;
}

export interface EngineLogger {
  warn(fields: Record<string, unknown>, message: string): void;
}
