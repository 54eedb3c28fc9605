import { createBot, KNOWLEDGE_DIR } from '../compose.ts';
import type { Engine } from '../core/engine.ts';
import { askCommand } from './ask.ts';
import { chatCommand } from './chat.ts';
import { kbCommand } from './kb.ts';
import { reportCommand } from './report.ts';
import { serveCommand } from './serve.ts';
import { UsageError } from './args.ts';


export interface Io {
  out: (text: string) => void;
  err: (text: string) => void;
}

const consoleIo: Io = {
  out: (text) => process.stdout.write(`${text}\n`),
  err: (text) => process.stderr.write(`${text}\n`),
};

export const USAGE = `Usage: backup-triage <command>

Commands:
  ask [--json] [--locale ll-CC] <text | ->
                                answer one message (- reads it from standard input)
  chat [--locale ll-CC]         talk to the bot in the terminal, with follow-ups
  chat --jsonl                  JSON lines in ({"thread","user","text","locale"?}), one answer per line out
  serve                         run the bot for Slack and Teams over HTTP
  report [--since 7d] [--json]  what went unanswered, 👎 by entry, picks, the answer rate
  kb check [--dir DIR]          validate the knowledge base and print its coverage
  kb list [--json] [--dir DIR]  list the knowledge entries
  kb drift <article.md | URL>   compare a current article with the knowledge
  help                          show this help

Run \`backup-triage <command> --help\` for a command's options.`;

/** Runs the CLI and returns the exit code. Errors are printed as one line, never as a stack. */
export async function main(argv: string[], io: Io = consoleIo, engine: () => Engine = () => createBot()): Promise<number> {
  try {
    const [command, ...rest] = argv;
    switch (command) {
      case 'ask':
        return await askCommand(rest, io, engine);
      case 'chat':
        return await chatCommand(rest, io, engine, {
          input: process.stdin,
          ...(process.stdin.isTTY ? { prompt: (t: string) => process.stdout.write(t) } : {}),
        });
      case 'kb':
        return await kbCommand(rest, io, KNOWLEDGE_DIR);
      case 'serve':
        return await serveCommand(rest, io);
      case 'report':
        return await reportCommand(rest, io);
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        io.out(USAGE);
        return command === undefined ? 2 : 0;
      default:
        throw new UsageError(`unknown command "${command}"`);
    }
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`backup-triage: ${error.message}\n\n${USAGE}`);
      return 2;
    }
    const message = error instanceof Error ? error.message : String(error);
    io.err(`backup-triage: ${message}`);
    if (process.env.DEBUG && error instanceof Error && error.stack) io.err(error.stack);
    return 1;
  }
}

