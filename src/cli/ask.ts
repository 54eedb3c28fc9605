import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { answerJson } from '../core/answer/json.ts';
import type { IncomingMessage } from '../core/answer/model.ts';
import { languageFromLocale } from '../core/language/detect.ts';
import { parseArgs, UsageError } from './args.ts';
import { CHAT_STRINGS } from './chat-strings.ts';
import { decodeInput } from './input.ts';
import type { Io, Runtime } from './main.ts';
import { renderTerminal, terminalStyle } from './render.ts';

export interface AskInput {
  /** Reads standard input to its end. */
  read: () => Uint8Array;
  /** True when standard input is a terminal: someone has to type or paste the message. */
  isTTY: boolean;
}

const STDIN: AskInput = { read: () => readFileSync(0), isTTY: process.stdin.isTTY === true };

/** `ask [--json] [--locale ll-CC] <text | ->`: answers one message. */
export async function askCommand(argv: string[], io: Io, runtime: Runtime, input: AskInput = STDIN): Promise<number> {
  const { positionals, flags } = parseArgs(argv, ['json'], ['locale']);
  const locale = flags.get('locale');
  if (positionals.length === 0) throw new UsageError('ask needs the message text, or - to read it from standard input');
  let text = positionals.join(' ');
  if (positionals.length === 1 && positionals[0] === '-') {
    if (input.isTTY) io.err(CHAT_STRINGS[languageFromLocale(typeof locale === 'string' ? locale : undefined) ?? 'en'].waiting);
    text = decodeInput(input.read());
  }
  // One message, one thread: nothing an earlier call said carries over.
  const message: IncomingMessage = { text, thread: `ask-${randomUUID()}`, user: 'cli', ...(typeof locale === 'string' ? { locale } : {}) };
  const answer = await (await runtime.engine()).handle(message);
  io.out(flags.has('json') ? JSON.stringify(answerJson(answer)) : renderTerminal(answer, terminalStyle(process.stdout)));
  return 0;
}
