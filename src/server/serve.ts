import { setImmediate as yieldToLoop } from 'node:timers/promises';
import type { Engine } from '../core/engine.ts';
import { createHttpApp, DRAIN_LIMIT_MS, finishRoutes, type HttpApp } from './http.ts';
import type { ResilientStore } from '../store/resilient.ts';
import type { Logger } from './logger.ts';
import type { Metrics } from './metrics.ts';
import type { Platform, PlatformFactory } from './platform.ts';

export interface RunningServer {
  url: string;
  /** The address and port really bound. */
  address: string;
  http: HttpApp;
  /** Resolves when the engine is built and every platform is ready; rejects on a fatal start-up error. */
  ready: Promise<void>;
  /** Stops taking requests, finishes the answers in flight, and closes every platform. */
  stop(): Promise<void>;
}

export interface ServerOptions {
  port: number;
  host: string;
  logger: Logger;
  /** Builds the engine; called once the server listens, so that /livez answers from the start. */
  engine: () => Engine | Promise<Engine>;
  platforms: PlatformFactory[];
  drainMs?: number;
  /** What instances share; closed when the server stops. */
  store?: ResilientStore;
  metrics?: Metrics;
}

/**
 * Starts the one HTTP server at once (/livez answers from the start), then builds the engine and
 * starts every platform; /readyz says 200 when all of that is done.
 */
export async function startServer({ port, host, logger, engine: build, platforms: factories, drainMs = DRAIN_LIMIT_MS, store, metrics }: ServerOptions): Promise<RunningServer> {
  const http = createHttpApp(logger, { ...(metrics ? { metrics } : {}), ...(store ? { health: () => ({ store: store.health() }) } : {}) });
  let engine: Engine | undefined;
  http.readiness.wait('engine');
  const shared = { ...(store ? { store } : {}), ...(metrics ? { metrics } : {}) };
  const platforms: Platform[] = factories.map((make) => make({ http: http.app, tracker: http.tracker, logger, engine: () => engine, ...shared }));
  platforms.forEach((p) => http.readiness.wait(p.name));
  finishRoutes(http.app, logger);

  const { url, address } = await http.listen(port, host);
  const names = platforms.map((p) => p.description);
  logger.info({ address, url, platforms: names }, 'backup-triage is listening');
  for (const p of platforms) if (p.warning) logger.warn({ url, ...p.warning.fields }, p.warning.message);

  const ready = (async () => {
    await yieldToLoop(); // let the listening socket answer /livez before the engine is built
    engine = await build();
    http.readiness.done('engine');
    for (const p of platforms) {
      if (!(await p.start(engine))) return; // stopped before the platform was ready
      http.readiness.done(p.name);
    }
    logger.info({ platforms: names }, 'backup-triage is ready');
  })();
  ready.catch(() => undefined); // the caller decides what a failed start means

  return {
    url,
    address,
    http,
    ready,
    stop: async () => {
      for (const p of platforms) await p.stop();
      await http.close(drainMs);
      await store?.close();
    },
  };
}
