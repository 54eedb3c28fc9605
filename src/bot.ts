import { createEngine, type Engine, type EngineLogger, type Prepared, type ThreadContext } from './core/engine.ts';
import type { ContextStore } from './core/ports.ts';
import { THREAD_TTL_MS } from './paths.ts';
import { MemoryStore } from './store/memory.ts';
import { contextStore } from './store/store.ts';

export interface EngineWiring {
  store?: ContextStore<ThreadContext>;
  logger?: EngineLogger;
}

/** The engine over what was prepared: with the given store, or threads kept in memory. */
export function botFrom(prepared: Prepared, { store, logger }: EngineWiring = {}): Engine {
  return createEngine({ prepared, store: store ?? contextStore<ThreadContext>(new MemoryStore(), 'thread', THREAD_TTL_MS), ...(logger ? { logger } : {}) });
}
