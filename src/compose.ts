import { fileURLToPath } from 'node:url';
import { createEngine, type Engine, type EngineLogger, type ThreadContext } from './core/engine.ts';
import { loadIntents } from './core/dialogue/intents.ts';
import { loadKnowledgeBase } from './core/knowledge/load.ts';
import { MemoryStore, type ContextStore } from './store/context-store.ts';

export const KNOWLEDGE_DIR = fileURLToPath(new URL('../knowledge', import.meta.url));
export const INTENTS_DIR = fileURLToPath(new URL('../intents', import.meta.url));

/** How long a thread remembers its last answer. */
export const THREAD_TTL_MS = 24 * 60 * 60 * 1000;

export interface BotOptions {
  knowledgeDir?: string;
  intentsDir?: string;
  store?: ContextStore<ThreadContext>;
  logger?: EngineLogger;
}

/** The composition root of the core: knowledge and intents from disk, a store, the engine. */
export function createBot(options: BotOptions = {}): Engine {
  const knowledge = loadKnowledgeBase(options.knowledgeDir ?? KNOWLEDGE_DIR);
  const intents = loadIntents(options.intentsDir ?? INTENTS_DIR);
  const store = options.store ?? new MemoryStore<ThreadContext>({ ttlMs: THREAD_TTL_MS });
  return createEngine({ knowledge, intents, store, ...(options.logger ? { logger: options.logger } : {}) });
}
