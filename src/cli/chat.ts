import { createInterface, type Interface } from 'node:readline';
import { Readable } from 'node:stream';
import { z } from 'zod';
import { answerJson } from '../core/answer/json.ts';
import type { Answer, IncomingMessage } from '../core/answer/model.ts';
import type { Engine } from '../core/engine.ts';
import { LANGUAGES, type Language } from '../core/knowledge/terms.ts';
import { languageFromLocale } from '../core/language/detect.ts';
import { parseArgs, UsageError } from './args.ts';
import { CHAT_STRINGS, LANGUAGE_NAMES } from './chat-strings.ts';
import { decodeStream } from './input.ts';
import type { Io, Runtime } from './main.ts';
import { renderTerminal, terminalStyle, type TerminalStyle } from './render.ts';

const MAX_LINE = 6 * 1024 * 1024;
/** Lines that arrive closer together than this are one paste, where the terminal doesn't mark pastes. */
const PASTE_GAP_MS = 40;
/** Asks the terminal to mark what is pasted (bracketed paste), and to stop. */
const PASTE_ON = '\x1b[?2004h';
const PASTE_OFF = '\x1b[?2004l';

const JsonlMessage = z.strictObject({
  thread: z.string().min(1).max(512),
  user: z.string().min(1).max(512),
  text: z.string(),
  locale: z.string().max(35).optional(),
});

export interface ChatStreams {
  input: NodeJS.ReadableStream;
  /** The terminal, when there is one: then `chat` edits lines, keeps history and takes pastes whole. */
  terminal?: NodeJS.WriteStream;
}

/**
 * `chat`: a conversation in the terminal, one thread. `chat --jsonl`: JSON lines in, one JSON
 * answer per line out, in order; a malformed line gets {"error": "..."} and the session goes on.
 */
export async function chatCommand(argv: string[], io: Io, runtime: Runtime, streams: ChatStreams = defaultStreams()): Promise<number> {
  const { positionals, flags } = parseArgs(argv, ['jsonl'], ['locale']);
  if (positionals.length > 0) throw new UsageError(`chat takes no argument (found "${positionals[0]}")`);
  if (flags.has('jsonl') && flags.has('locale')) throw new UsageError('--jsonl takes the locale from each line, not from --locale');
  const bot = await runtime.engine();
  const locale = flags.get('locale');
  const session = new Session(bot, typeof locale === 'string' ? locale : undefined);

  // A pipe or a file may be UTF-16 (what Windows PowerShell's > writes): its byte-order mark says so.
  const lines = () => createInterface({ input: Readable.from(decodeStream(streams.input as AsyncIterable<Uint8Array>)), crlfDelay: Infinity, terminal: false });
  if (flags.has('jsonl')) {
    for await (const line of lines()) {
      if (line.trim() === '') continue;
      io.out(JSON.stringify(await jsonlAnswer(bot, line)));
    }
    return 0;
  }
  if (streams.terminal) return interactive(session, io, streams.input, streams.terminal);

  // Not a terminal (a pipe or a file): each line is a message, answered in plain text.
  const style = terminalStyle({});
  for await (const line of lines()) {
    if (line.trim() === '') continue;
    const reply = await session.say(line);
    if (reply.quit) break;
    io.out(`${reply.answer ? renderTerminal(reply.answer, style) : reply.text}\n`);
  }
  return 0;
}

function defaultStreams(): ChatStreams {
  return { input: process.stdin, ...(process.stdin.isTTY && process.stdout.isTTY ? { terminal: process.stdout } : {}) };
}

type Reply = { quit?: boolean; clear?: boolean; text?: string; answer?: Answer };

/** One conversation: its thread, the language of the terminal's own words, and the commands. */
export class Session {
  private thread = newThread();
  private last: Answer | undefined;
  private chosen: Language | undefined;

  constructor(
    private readonly bot: Engine,
    private locale: string | undefined,
  ) {
    this.chosen = languageFromLocale(locale);
  }

  /** The language the terminal speaks: the one chosen, else the last answer's, else English. */
  get language(): Language {
    return this.chosen ?? this.last?.language ?? 'en';
  }

  async say(text: string): Promise<Reply> {
    const [name, ...rest] = text.trim().split(/\s+/u);
    const word = name?.toLowerCase() ?? '';
    if (word.startsWith('/') && /^\/[a-z]+$/u.test(word)) return this.command(word.slice(1), rest.join(' ') || undefined);
    if (rest.length === 0 && ['quit', 'exit', 'clear'].includes(word)) return this.command(word, undefined);
    return this.ask({ text, thread: this.thread, user: 'you', ...(this.locale ? { locale: this.locale } : {}) });
  }

  private async ask(message: IncomingMessage): Promise<Reply> {
    const answer = await this.bot.handle(message);
    if (!answer.silent) this.last = answer;
    return { answer };
  }

  private async command(name: string, arg: string | undefined): Promise<Reply> {
    const s = CHAT_STRINGS[this.language];
    switch (name) {
      case 'quit':
      case 'exit':
      case 'q':
        return { quit: true, text: s.bye };
      case 'clear':
        return { clear: true };
      case 'help':
        return { text: s.commands };
      case 'new':
        this.thread = newThread();
        this.last = undefined;
        return { text: s.newThread };
      case 'lang':
      case 'language': {
        const to = arg === undefined ? undefined : languageFromLocale(arg.toLowerCase()) ?? LANGUAGES.find((l) => Object.values(LANGUAGE_NAMES).some((names) => names[l].toLowerCase() === arg.toLowerCase()));
        if (!to) return { text: s.langUsage };
        this.chosen = to;
        this.locale = to;
        const said = CHAT_STRINGS[to].language(LANGUAGE_NAMES[to][to]);
        // The answer on screen, again in the new language.
        const button = this.last?.buttons.find((b) => b.action.type === 'language' && b.action.to === to);
        if (!button) return { text: said };
        const reply = await this.ask({ text: '', thread: this.thread, user: 'you', action: button.action });
        return { ...reply, text: said };
      }
      default:
        return { text: s.unknownCommand(`/${name}`) };
    }
  }
}

function newThread(): string {
  return `chat-${process.pid}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
}

/**
 * The terminal conversation: readline's line editing and history; a paste (marked by the terminal,
 * or lines closer together than PASTE_GAP_MS) is one message; answers are rendered for the terminal.
 */
async function interactive(session: Session, io: Io, input: NodeJS.ReadableStream, terminal: NodeJS.WriteStream): Promise<number> {
  const style = (): TerminalStyle => terminalStyle(terminal);
  const rl: Interface = createInterface({ input, output: terminal, terminal: true, historySize: 500, removeHistoryDuplicates: true, prompt: '> ' });
  terminal.write(PASTE_ON);
  io.out(`${CHAT_STRINGS[session.language].intro}\n`);

  let pending: string[] = [];
  let pasting = false;
  let timer: NodeJS.Timeout | undefined;
  let busy = Promise.resolve();
  let quit = false;
  const done = new Promise<void>((resolve) => rl.once('close', resolve));

  const send = () => {
    clearTimeout(timer);
    const text = pending.join('\n');
    pending = [];
    if (text.trim() === '') {
      rl.prompt();
      return;
    }
    busy = busy.then(async () => {
      rl.pause();
      const reply = await session.say(text).catch((error: unknown) => ({ text: `backup-triage: ${error instanceof Error ? error.message : String(error)}` }) as Reply);
      if (reply.clear) terminal.write('\x1b[2J\x1b[3J\x1b[H');
      if (reply.text) io.out(`\n${reply.text}`);
      if (reply.answer && !reply.answer.silent) io.out(`\n${renderTerminal(reply.answer, style())}`);
      if (reply.quit) {
        quit = true;
        rl.close();
        return;
      }
      io.out('');
      rl.resume();
      rl.prompt();
    });
  };

  (input as NodeJS.ReadStream).on('keypress', (_text: string, key?: { name?: string }) => {
    if (key?.name === 'paste-start') pasting = true;
    if (key?.name === 'paste-end') {
      pasting = false;
      // A paste that ended with a line break is sent; one that didn't waits for Enter.
      if (pending.length > 0 && rl.line === '') send();
    }
  });
  rl.on('line', (line) => {
    pending.push(line);
    if (pasting) return;
    clearTimeout(timer);
    timer = setTimeout(send, PASTE_GAP_MS);
  });
  // Ctrl+C clears the line being typed; on an empty line it leaves.
  rl.on('SIGINT', () => {
    if (rl.line !== '' || pending.length > 0) {
      pending = [];
      rl.write(null, { ctrl: true, name: 'u' });
      return;
    }
    rl.close();
  });

  rl.prompt();
  await done;
  clearTimeout(timer);
  await busy;
  terminal.write(PASTE_OFF);
  if (!quit) io.out(`\n${CHAT_STRINGS[session.language].bye}`);
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
