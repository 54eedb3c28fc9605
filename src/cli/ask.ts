import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { answerJson } from '../core/answer/json.ts';
import type { IncomingMessage } from '../core/answer/model.ts';
import { renderText } from '../core/answer/render-text.ts';
import type { Engine } from '../core/engine.ts';
import { parseArgs, UsageError } from './args.ts';
import type { Io } from './main.ts';

const LOCALE = /^[a-z]{2}(?:[-_][A-Za-z]{2})?$/u;

/** `ask [--json] [--locale ll-CC] <text | ->`: answers one message. */
export async function askCommand(argv: string[], io: Io, engine: () => Engine, readStdin = () => readFileSync(0)): Promise<number> {
  const { positionals, flags } = parseArgs(argv, ['json'], ['locale']);
  const locale = flags.get('locale');
  if (typeof locale === 'string' && !LOCALE.test(locale)) throw new UsageError(`--locale must look like nl-NL (found "${locale}")`);
  if (positionals.length === 0) throw new UsageError('ask needs the message text, or - to read it from standard input');
  const text = positionals.length === 1 && positionals[0] === '-' ? readStdin().toString('utf8') : positionals.join(' ');
  // One message, one thread: nothing an earlier call said carries over.
  const message: IncomingMessage = { text, thread: `ask-${randomUUID()}`, user: 'cli', ...(typeof locale === 'string' ? { locale } : {}) };
  const answer = await engine().handle(message);
  io.out(flags.has('json') ? JSON.stringify(answerJson(answer)) : renderText(answer));
  return 0;
}
