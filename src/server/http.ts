import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import type { Logger } from './logger.ts';
import type { Metrics } from './metrics.ts';

/** Request bodies past this size are refused before any parsing. */
export const BODY_LIMIT_BYTES = 1024 * 1024;
/** How long a stop waits for the answers in flight. */
export const DRAIN_LIMIT_MS = 10_000;

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
      let timer: NodeJS.Timeout | undefined;
      const expired = new Promise((resolve) => {
        timer = setTimeout(resolve, left);
      });
      try {
        await Promise.race([Promise.allSettled([...this.#pending]), expired]);
      } finally {
        clearTimeout(timer);
      }
    }
    return true;
  }
}

/** What has to be ready before the server says so: the engine, then each configured platform. */
export class Readiness {
  readonly #waiting = new Set<string>();

  wait(component: string): void {
    this.#waiting.add(component);
  }

  done(component: string): void {
    this.#waiting.delete(component);
  }

  get ready(): boolean {
    return this.#waiting.size === 0;
  }

  report(): { waiting: string[] } {
    return { waiting: [...this.#waiting] };
  }
}

export interface Listening {
  server: Server;
  /** A URL for this machine to reach the server at. */
  url: string;
  /** The address and port really bound. */
  address: string;
}

export interface HttpApp {
  app: Express;
  tracker: Tracker;
  readiness: Readiness;
  listen(port: number, host: string): Promise<Listening>;
  /** Stops taking requests, finishes the work in flight (up to `timeoutMs`), then closes. */
  close(timeoutMs?: number): Promise<void>;
}

export interface HttpOptions {
  /** Served at /metrics, and told how long each platform request took to answer (the ack). */
  metrics?: Metrics;
  /** Added to the /readyz body: the store's health, which never makes the server unready. */
  health?: () => Record<string, unknown>;
}

/** The platform whose requests arrive at a path, for the ack-time histogram. */
const PLATFORM_PATHS: Record<string, string> = { '/slack/events': 'slack', '/api/messages': 'teams' };

/**
 * The one HTTP server for every platform: liveness, readiness, metrics, a body-size guard, and a
 * graceful stop.
 */
export function createHttpApp(logger: Logger, options: HttpOptions = {}): HttpApp {
  const { metrics, health } = options;
  const app = express();
  app.disable('x-powered-by');
  const tracker = new Tracker();
  const readiness = new Readiness();
  let draining = false;
  let server: Server | undefined;

  app.get('/livez', (_req, res) => {
    res.status(200).json({ status: 'alive' });
  });
  const ready = (_req: Request, res: Response) => {
    const report = { ...readiness.report(), ...health?.() };
    if (draining) res.status(503).json({ status: 'stopping', ...report });
    else if (readiness.ready) res.status(200).json({ status: 'ready', ...report });
    else res.status(503).json({ status: 'starting', ...report });
  };
  app.get('/readyz', ready);
  app.get('/healthz', ready);
  if (metrics) {
    app.get('/metrics', (_req, res, next) => {
      metrics.registry.metrics().then((text) => res.set('Content-Type', metrics.registry.contentType).send(text), next);
    });
    app.use((req: Request, res: Response, next: NextFunction) => {
      const platform = req.method === 'POST' ? PLATFORM_PATHS[req.path] : undefined;
      if (platform) {
        const started = process.hrtime.bigint();
        res.on('finish', () => metrics.ackSeconds.observe({ platform }, Number(process.hrtime.bigint() - started) / 1e9));
      }
      next();
    });
  }
  app.use((req: Request, res: Response, next: NextFunction) => {
    if (draining) {
      res.set('Connection', 'close').status(503).json({ error: 'shutting down' });
      return;
    }
    const length = Number(req.headers['content-length'] ?? 0);
    if (length > BODY_LIMIT_BYTES) {
      logger.warn({ url: req.path, length }, 'request body too large; refused');
      res.status(413).json({ error: `request body larger than ${BODY_LIMIT_BYTES} bytes` });
      return;
    }
    next();
  });

  return {
    app,
    tracker,
    readiness,
    listen: (port, host) =>
      new Promise((resolve, reject) => {
        const s = app.listen(port, host, (error?: Error) => {
          if (error) {
            reject(error);
            return;
          }
          server = s;
          const bound = s.address() as AddressInfo;
          const shown = bound.family === 'IPv6' ? `[${bound.address}]` : bound.address;
          const reachable = bound.address === '0.0.0.0' || bound.address === '::' ? '127.0.0.1' : shown;
          resolve({ server: s, url: `http://${reachable}:${bound.port}`, address: `${shown}:${bound.port}` });
        });
        s.on('error', reject);
      }),
    close: async (timeoutMs = DRAIN_LIMIT_MS) => {
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

/** The last handlers: an unknown route is 404, and an error in a handler is a 500 without details. */
export function finishRoutes(app: Express, logger: Logger): void {
  app.use((_req: Request, res: Response) => {
    res.status(404).json({ error: 'not found' });
  });
  // Express tells an error handler by its four parameters.
  // eslint-disable-next-line @typescript-eslint/no-unused-vars
  app.use((error: unknown, _req: Request, res: Response, _next: NextFunction) => {
    const status = (error as { status?: number }).status;
    if (status && status >= 400 && status < 500) {
      res.status(status).json({ error: 'bad request' });
      return;
    }
    logger.error({ err: error }, 'request failed');
    if (!res.headersSent) res.status(500).json({ error: 'internal error' });
  });
}
