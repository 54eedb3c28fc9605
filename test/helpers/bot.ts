import { createBot } from '../../src/compose.ts';
import type { Answer, IncomingMessage } from '../../src/core/answer/model.ts';
import { renderText } from '../../src/core/answer/render-text.ts';
import type { Engine, HandleOptions } from '../../src/core/engine.ts';

/** An answer together with the text a user reads (the plain-text rendering). */
export type Seen = Answer & { text: string };

export interface SeeingEngine extends Engine {
  handle(message: IncomingMessage, options?: HandleOptions): Promise<Seen>;
}

/** An engine whose answers carry their rendered text, for tests that read what the user reads. */
export function seeing(engine: Engine): SeeingEngine {
  return {
    handle: async (message, options) => {
      const answer = await engine.handle(message, options);
      return { ...answer, text: renderText(answer) };
    },
    remember: (thread, answer) => engine.remember(thread, answer),
  };
}

let shared: SeeingEngine | undefined;

/** One bot for a test file: loading the knowledge and training the intents is done once. */
export function sharedBot(): SeeingEngine {
  shared ??= seeing(createBot());
  return shared;
}
