import { fileURLToPath } from 'node:url';
import { createEngine, type Engine, type EngineLogger, type ThreadContext } from './core/engine.ts';
import { loadIntents } from './core/dialogue/intents.ts';
import { loadVocabulary } from './core/dialogue/vocabulary.ts';
import { loadKnowledgeBase } from './core/knowledge/load.ts';
import { loadModel } from './core/recognise/model-file.ts';
import type { ContextStore } from './core/ports.ts';
import type { ServeConfig } from './server/config.ts';
import type { Logger } from './server/logger.ts';
import type { PlatformFactory } from './server/platform.ts';
import type { Sleep } from './server/retry.ts';
import { startServer, type RunningServer } from './server/serve.ts';
import { Metrics } from './server/metrics.ts';
import { MemoryStore } from './store/memory.ts';
import { openStore } from './store/open.ts';
import { ResilientStore } from './store/resilient.ts';
import { contextStore, type Store } from './store/store.ts';

export const KNOWLEDGE_DIR = fileURLToPath(new URL('../knowledge', import.meta.url));
export const INTENTS_DIR = fileURLToPath(new URL('../intents', import.meta.url));
export const MODEL_FILE = fileURLToPath(new URL('../model/ranker.json', import.meta.url));

/** How long a thread remembers its last answer. */
export const THREAD_TTL_MS = 24 * 60 * 60 * 1000;

export interface BotOptions {
  knowledgeDir?: string;
  intentsDir?: string;
  modelFile?: string;
  store?: ContextStore<ThreadContext>;
  logger?: EngineLogger;
}

/** The composition root. The core's wiring: knowledge, intents and vocabulary from disk, a store, the engine. */
export function createBot(options: BotOptions = {}): Engine {
  const intentsDir = options.intentsDir ?? INTENTS_DIR;
  const knowledge = loadKnowledgeBase(options.knowledgeDir ?? KNOWLEDGE_DIR);
  const intents = loadIntents(intentsDir);
  const vocabulary = loadVocabulary(intentsDir);
  const model = loadModel(options.modelFile ?? MODEL_FILE);
  const store = options.store ?? contextStore<ThreadContext>(new MemoryStore(), 'thread', THREAD_TTL_MS);
  return createEngine({ knowledge, intents, vocabulary, model, store, ...(options.logger ? { logger: options.logger } : {}) });
}

export interface StartOptions {
  config: ServeConfig;
  logger: Logger;
  /** The engine to use; by default one is built from the knowledge once the server listens. */
  engine?: Engine;
  /** Waits between retries (start-up and replies); tests pass one that doesn't wait. */
  sleep?: Sleep;
  /** Timeout of each outbound call. */
  callTimeoutMs?: number;
  drainMs?: number;
  /** The store to share; by default the one the configuration names (memory when it names none). */
  store?: Store;
}

/**
 * The server with every configured platform mounted on it: what `serve` runs. A platform's SDK is
 * loaded only when the platform is configured, and never by `ask` or `chat`.
 */
export async function startBot({ config, logger, engine, sleep, callTimeoutMs, drainMs, store: given }: StartOptions): Promise<RunningServer> {
  const timing = { ...(sleep ? { sleep } : {}), ...(callTimeoutMs ? { callTimeoutMs } : {}) };
  const metrics = new Metrics();
  const inner = given ?? (await openStore(config.store));
  const store = new ResilientStore(inner, logger, {
    onError: (op) => metrics.storeErrors.inc({ store: inner.kind, op }),
    onOperation: (op) => metrics.storeOperations.inc({ store: inner.kind, op }),
  });
  logger.info({ store: inner.kind }, inner.kind === 'memory' ? 'state is kept in memory: it is lost on restart and not shared' : `state is kept in ${inner.kind}`);
  const platforms: PlatformFactory[] = [];
  if (config.slack) platforms.push((await import('./adapters/slack/app.ts')).slackPlatform(config.slack, timing));
  else logger.info('Slack is not configured: set SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET (or SLACK_APP_TOKEN) to answer on Slack');
  if (config.teams.mode !== 'off') platforms.push((await import('./adapters/teams/endpoint.ts')).teamsPlatform(config.teams, timing));
  return startServer({
    port: config.port,
    host: config.host,
    logger,
    engine: () => engine ?? createBot({ logger, store: contextStore<ThreadContext>(store, 'thread', THREAD_TTL_MS) }),
    platforms,
    store,
    metrics,
    ...(drainMs !== undefined ? { drainMs } : {}),
  });
}
