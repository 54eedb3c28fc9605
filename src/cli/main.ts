import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Engine, Prepared } from '../core/engine.ts';
import { UsageError, wantsHelp } from './args.ts';
import { ASK_USAGE, CHAT_USAGE, KB_USAGE, REPORT_USAGE, SERVE_USAGE, USAGE } from './usage.ts';

export { USAGE } from './usage.ts';

export interface Io {
  out: (text: string) => void;
  err: (text: string) => void;
}

const consoleIo: Io = {
  out: (text) => process.stdout.write(`${text}\n`),
  err: (text) => process.stderr.write(`${text}\n`),
};

/** What the commands are given: how to make the engine, and what a build prepared for it. */
export interface Runtime {
  engine: () => Engine | Promise<Engine>;
  /** The prepared knowledge for `serve`; by default it is prepared from the sources at start. */
  prepared?: () => Promise<Prepared>;
}

type Command = (argv: string[], io: Io, runtime: Runtime) => Promise<number>;

/** Each command is loaded when it runs, so that `ask` never loads the HTTP server or a platform's SDK. */
const COMMANDS: Record<string, { usage: string; load: () => Promise<Command> }> = {
  ask: { usage: ASK_USAGE, load: async () => (await import('./ask.ts')).askCommand },
  chat: { usage: CHAT_USAGE, load: async () => (await import('./chat.ts')).chatCommand },
  serve: { usage: SERVE_USAGE, load: async () => (await import('./serve.ts')).serveCommand },
  report: {
    usage: REPORT_USAGE,
    load: async () => {
      const { reportCommand } = await import('./report.ts');
      return (argv, io) => reportCommand(argv, io);
    },
  },
  kb: {
    usage: KB_USAGE,
    load: async () => {
      const [{ kbCommand }, { KNOWLEDGE_DIR }] = await Promise.all([import('./kb.ts'), import('../paths.ts')]);
      return (argv, io) => kbCommand(argv, io, KNOWLEDGE_DIR);
    },
  },
};

/** Runs the CLI and returns the exit code. Errors are printed as one line, never as a stack. */
export async function main(argv: string[], io: Io = consoleIo, engine?: Runtime['engine'], prepared?: Runtime['prepared']): Promise<number> {
  const [name, ...rest] = argv;
  const command = name === undefined ? undefined : COMMANDS[name];
  try {
    if (name === '--version' || name === '-V' || (command && rest.includes('--version'))) {
      io.out(version());
      return 0;
    }
    if (name === undefined || name === 'help' || name === '--help' || name === '-h') {
      const topic = name === 'help' && rest[0] !== undefined ? COMMANDS[rest[0]] : undefined;
      if (name === 'help' && rest[0] !== undefined && !topic) throw new UsageError(`unknown command "${rest[0]}"`);
      io.out(topic?.usage ?? USAGE);
      return name === undefined ? 2 : 0;
    }
    if (!command) throw new UsageError(`unknown command "${name}"`);
    if (wantsHelp(rest)) {
      io.out(command.usage);
      return 0;
    }
    const run = await command.load();
    return await run(rest, io, { engine: engine ?? defaultEngine, ...(prepared ? { prepared } : {}) });
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`backup-triage: ${error.message}\n\n${command?.usage ?? USAGE}`);
      return 2;
    }
    const message = error instanceof Error ? error.message : String(error);
    io.err(`backup-triage: ${message}`);
    if (process.env.DEBUG && error instanceof Error && error.stack) io.err(error.stack);
    return 1;
  }
}

async function defaultEngine(): Promise<Engine> {
  return (await import('../compose.ts')).createBot();
}

/** The version in the project's package.json, found above this file (in src/cli/ or in dist/). */
function version(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 3; i += 1, dir = dirname(dir)) {
    const file = join(dir, 'package.json');
    if (existsSync(file)) return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
  }
  return 'unknown';
}
