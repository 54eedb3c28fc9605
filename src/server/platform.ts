import type { Express } from 'express';
import type { Engine } from '../core/engine.ts';
import type { Tracker } from './http.ts';
import type { Store } from '../store/store.ts';
import type { Logger } from './logger.ts';
import type { Metrics } from './metrics.ts';

/** What the server offers a chat platform: its routes, its work tracker, the engine once built. */
export interface PlatformHost {
  /** Mount routes here, before the server listens. */
  http: Express;
  tracker: Tracker;
  logger: Logger;
  /** What instances share (de-duplication, caches, the events log); absent, each adapter keeps its own in memory. */
  store?: Store;
  metrics?: Metrics;
  /** The engine, or undefined while it is still being built. */
  engine(): Engine | undefined;
}

/** A chat platform mounted on the server. The server knows platforms only through this. */
export interface Platform {
  /** Its name in /readyz while it is not ready: "slack". */
  name: string;
  /** For the logs: "slack (socket mode)". */
  description: string;
  /** A warning for the start-up log, if the platform runs in a mode operators should know about. */
  warning?: { message: string; fields?: Record<string, unknown> };
  /** Connects once the engine is built: true when ready, false when stopped first; throws on a fatal error. */
  start(engine: Engine): Promise<boolean>;
  stop(): Promise<void>;
}

/** Mounts a platform's routes on the host and returns it. */
export type PlatformFactory = (host: PlatformHost) => Platform;
