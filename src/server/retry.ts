/** Waits `ms`, or less when `signal` aborts; never rejects. Injected where tests need no real waiting. */
export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

export const sleep: Sleep = (ms, signal) =>
  new Promise((resolve) => {
    if (signal?.aborted) {
      resolve();
      return;
    }
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });

/** Every outbound call (Slack's Web API, the Bot Connector) gives up after this long. */
export const CALL_TIMEOUT_MS = 10_000;
/** A reply is retried for at most this long in all, waits included. */
export const RETRY_BUDGET_MS = 30_000;

/** Exponential backoff: 0.5 s, 1 s, 2 s, … up to `maxMs`. */
export function backoff(attempt: number, baseMs = 500, maxMs = 8_000): number {
  return Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));
}
