import { createBot } from '../../src/compose.ts';
import type { Engine } from '../../src/core/engine.ts';

let shared: Engine | undefined;

/** One bot for a test file: loading the knowledge and training the intents is done once. */
export function sharedBot(): Engine {
  shared ??= createBot();
  return shared;
}
