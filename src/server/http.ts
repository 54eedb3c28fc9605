import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import type { Logger } from './logger.ts';

/** Request bodies past this size are refused before any parsing. */
export const BODY_LIMIT_BYTES = 1024 * 1024;

/** Work that outlives its HTTP request (answers posted after the ack), so shutdown can wait for it. */
export class Tracker {
  readonly #pending = new Set<Promise<unknown>>();

  run(work: () => Promise<unknown>): void {
    const p: Promise<unknown> = work().finally(() => this.#pending.delete(p));
    this.#pending.add(p);
  }

  get size(): number {
    return this.#pending.size;
  }

  /** Resolves when all work in flight is done, or after `timeoutMs`; true if everything finished. */
  async drain(timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (this.#pending.size > 0) {
      const left = deadline - Date.now();
      if (left <= 0) return false;
      await Promise.race([Promise.allSettled([...this.#pending]), new Promise((r) => setTimeout(r, left))]);
    }
    return true;
  }
}

export interface HttpApp {
  app: Express;
  tracker: Tracker;
  /** Marks the server ready: /healthz answers 200 from then on. */
  ready(): void;
  listen(port: number, host?: string): Promise<{ server: Server; url: string }>;
  /** Stops taking requests, finishes the work in flight (up to `timeoutMs`), then closes. */
  close(timeoutMs?: number): Promise<void>;
}

/** The one HTTP server for every platform: health, a body-size guard, and a graceful stop. */
export function createHttpApp(logger: Logger): HttpApp {
  const app = express();
  app.disable('x-powered-by');
  const tracker = new Tracker();
  let isReady = false;
  let draining = false;
  let server: Server | undefined;

  app.use((req: Request, res: Response, next: NextFunction) => {
    if (draining) {
      res.set('Connection', 'close').status(503).json({ error: 'shutting down' });
      return;
    }
    const length = Number(req.headers['content-length'] ?? 0);
    if (length > BODY_LIMIT_BYTES) {
      logger.warn({ path: req.path, length }, 'request body too large; refused');
      res.status(413).json({ error: `request body larger than ${BODY_LIMIT_BYTES} bytes` });
      return;
    }
    next();
  });
  app.get('/healthz', (_req, res) => {
    if (isReady && !draining) res.status(200).json({ status: 'ok' });
    else res.status(503).json({ status: draining ? 'stopping' : 'starting' });
  });

  return {
    app,
    tracker,
    ready: () => {
      isReady = true;
    },
    listen: (port, host) =>
      new Promise((resolve, reject) => {
        const s = app.listen(port, host ?? '0.0.0.0', (error?: Error) => {
          if (error) {
            reject(error);
            return;
          }
          server = s;
          const address = s.address() as AddressInfo;
          resolve({ server: s, url: `http://${host ?? '127.0.0.1'}:${address.port}` });
        });
        s.on('error', reject);
      }),
    close: async (timeoutMs = 10_000) => {
      draining = true;
      const closed = new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
      server?.closeIdleConnections();
      const finished = await tracker.drain(timeoutMs);
      if (!finished) logger.warn({ pending: tracker.size }, 'stopped before every answer was sent');
      server?.closeAllConnections();
      await closed;
    },
  };
}
