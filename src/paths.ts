import { fileURLToPath } from 'node:url';

// Where the data lives, from src/ or from the build in dist/ alike (both one folder down).
export const KNOWLEDGE_DIR = fileURLToPath(new URL('../knowledge', import.meta.url));
export const INTENTS_DIR = fileURLToPath(new URL('../intents', import.meta.url));
export const MODEL_FILE = fileURLToPath(new URL('../model/ranker.json', import.meta.url));

/** How long a thread remembers its last answer. */
export const THREAD_TTL_MS = 24 * 60 * 60 * 1000;
