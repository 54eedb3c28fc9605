import { botFrom, type EngineWiring } from './bot.ts';
import { prepare, type Engine, type Prepared, type ThreadContext } from './core/engine.ts';
import { loadIntents } from './core/dialogue/intents-file.ts';
import { readVocabulary } from './core/dialogue/vocabulary-file.ts';
import { loadKnowledgeBase } from './core/knowledge/load.ts';
import { loadModel } from './core/recognise/model-file.ts';
import type { ServeConfig } from './server/config.ts';
import type { Logger } from './server/logger.ts';
import type { PlatformFactory } from './server/platform.ts';
import type { Sleep } from './server/retry.ts';
import type { RunningServer } from './server/serve.ts';
import { INTENTS_DIR, KNOWLEDGE_DIR, MODEL_FILE, THREAD_TTL_MS } from './paths.ts';
import { contextStore, type Store } from './store/store.ts';

export { INTENTS_DIR, KNOWLEDGE_DIR, MODEL_FILE, THREAD_TTL_MS } from './paths.ts';

export interface SourceOptions {
  knowledgeDir?: string;
  intentsDir?: string;
  modelFile?: string;
}

export interface BotOptions extends SourceOptions, EngineWiring {
  /** What a build computed from the sources; without it, it is computed from them now. */
  prepared?: Prepared;
}

/** Reads and validates the knowledge, intents, vocabulary and model, and computes what the engine needs. */
export function prepareSources(options: SourceOptions = {}): Prepared {
  const intentsDir = options.intentsDir ?? INTENTS_DIR;
  return prepare({
    knowledge: loadKnowledgeBase(options.knowledgeDir ?? KNOWLEDGE_DIR),
    intents: loadIntents(intentsDir),
    vocabulary: readVocabulary(intentsDir),
    model: loadModel(options.modelFile ?? MODEL_FILE),
  });
}

/** The composition root. The core's wiring: what the sources prepare, a store, the engine. */
export function createBot(options: BotOptions = {}): Engine {
  return botFrom(options.prepared ?? prepareSources(options), options);
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
  /** What a build prepared for the engine; by default it is prepared from the sources. */
  prepared?: () => Promise<Prepared>;
}

/**
 * The server with every configured platform mounted on it: what `serve` runs. A platform's SDK is
 * loaded only when the platform is configured, and never by `ask` or `chat`.
 */
export async function startBot({ config, logger, engine, sleep, callTimeoutMs, drainMs, store: given, prepared }: StartOptions): Promise<RunningServer> {
  const [{ startServer }, { Metrics }, { openStore }, { ResilientStore }] = await Promise.all([
    import('./server/serve.ts'),
    import('./server/metrics.ts'),
    import('./store/open.ts'),
    import('./store/resilient.ts'),
  ]);
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
  if (config.teams.mode !== 'off') platforms.push((await import('./adapters/teams/platform.ts')).teamsPlatform(config.teams, timing));
  return startServer({
    port: config.port,
    host: config.host,
    logger,
    engine: async () => engine ?? createBot({ logger, store: contextStore<ThreadContext>(store, 'thread', THREAD_TTL_MS), ...(prepared ? { prepared: await prepared() } : {}) }),
    platforms,
    store,
    metrics,
    ...(drainMs !== undefined ? { drainMs } : {}),
  });
}
