import { createInterface } from 'node:readline';
import { z } from 'zod';
import { answerJson } from '../core/answer/json.ts';
import { renderText } from '../core/answer/render-text.ts';
import type { Engine } from '../core/engine.ts';
import { STRINGS } from '../core/i18n/strings.ts';
import { parseArgs, UsageError } from './args.ts';
import type { Io } from './main.ts';

const MAX_LINE = 6 * 1024 * 1024;

const JsonlMessage = z.strictObject({
  thread: z.string().min(1).max(512),
  user: z.string().min(1).max(512),
  text: z.string(),
  locale: z.string().max(35).optional(),
});

export interface ChatStreams {
  input: NodeJS.ReadableStream;
  prompt?: (text: string) => void;
}

/**
 * `chat`: a conversation in the terminal, one thread. `chat --jsonl`: JSON lines in, one JSON
 * answer per line out, in order; a malformed line gets {"error": "..."} and the session goes on.
 */
export async function chatCommand(argv: string[], io: Io, engine: () => Engine, streams: ChatStreams): Promise<number> {
  const { positionals, flags } = parseArgs(argv, ['jsonl'], ['locale']);
  if (positionals.length > 0) throw new UsageError(`chat takes no argument (found "${positionals[0]}")`);
  const bot = engine();
  const lines = createInterface({ input: streams.input, crlfDelay: Infinity, terminal: false });

  if (flags.has('jsonl')) {
    for await (const line of lines) {
      if (line.trim() === '') continue;
      io.out(JSON.stringify(await jsonlAnswer(bot, line)));
    }
    return 0;
  }

  const locale = flags.get('locale');
  const thread = `chat-${process.pid}-${Date.now()}`;
  streams.prompt?.(`${STRINGS.en.help}\n(Ctrl+D to quit)\n\n> `);
  for await (const line of lines) {
    if (line.trim() !== '') {
      const answer = await bot.handle({ text: line, thread, user: 'you', ...(typeof locale === 'string' ? { locale } : {}) });
      io.out(`\n${renderText(answer)}\n`);
    }
    streams.prompt?.('> ');
  }
  return 0;
}

async function jsonlAnswer(bot: Engine, line: string): Promise<unknown> {
  if (line.length > MAX_LINE) return { error: `line is longer than ${MAX_LINE} characters` };
  let data: unknown;
  try {
    data = JSON.parse(line);
  } catch {
    return { error: 'line is not valid JSON' };
  }
  const parsed = JsonlMessage.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue?.path.join('.') || 'line';
    return { error: `${field}: ${issue?.code === 'invalid_type' ? 'is missing or not a string' : (issue?.message ?? 'is invalid')}` };
  }
  const { thread, user, text, locale } = parsed.data;
  return answerJson(await bot.handle({ thread, user, text, ...(locale ? { locale } : {}) }));
}
