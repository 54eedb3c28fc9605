import { parseArgs as parseNodeArgs } from 'node:util';

/** A mistake in how the command was called; the CLI prints it with the command's usage. */
export class UsageError extends Error {
  override name = 'UsageError';
}

export interface ParsedArgs {
  positionals: string[];
  flags: Map<string, string | true>;
}

/** A locale as Slack and Teams send it: nl, nl-NL or nl_NL. */
const LOCALE = /^[a-z]{2}(?:[-_][A-Za-z]{2})?$/u;

/**
 * Parses the options with node's own parser: `--flag`, `--flag value` and `--flag=value`, `--`
 * ending the options. `valued` names the options that take a value; any other option must be in
 * `allowed`. Every command checks `--locale` the same way.
 */
export function parseArgs(argv: string[], allowed: string[], valued: string[] = []): ParsedArgs {
  const options = Object.fromEntries([...allowed.map((name) => [name, { type: 'boolean' as const }]), ...valued.map((name) => [name, { type: 'string' as const }])]);
  let parsed;
  try {
    parsed = parseNodeArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError(usageMessage(error, argv));
  }
  const flags = new Map<string, string | true>();
  for (const [name, value] of Object.entries(parsed.values)) {
    if (value === undefined || value === false) continue;
    if (typeof value === 'string' && value === '') throw new UsageError(`--${name} needs a value`);
    flags.set(name, value === true ? true : String(value));
  }
  const locale = flags.get('locale');
  if (typeof locale === 'string' && !LOCALE.test(locale)) throw new UsageError(`--locale must look like nl-NL (found "${locale}")`);
  return { positionals: parsed.positionals, flags };
}

/** node's messages name the API ("Use `--`..."), ours name the option. */
function usageMessage(error: unknown, argv: string[]): string {
  const code = (error as { code?: string }).code;
  const message = error instanceof Error ? error.message : String(error);
  const option = /'(-{1,2}[^\s']+)/u.exec(message)?.[1] ?? argv.find((a) => a.startsWith('-') && a !== '-') ?? '';
  switch (code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return `unknown option ${option}`;
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      return message.includes('does not take') ? `${option} takes no value` : `${option} needs a value`;
    default:
      return message;
  }
}

/** True when the arguments ask for help (`--help` or `-h` before a lone `--`). */
export function wantsHelp(argv: string[]): boolean {
  const end = argv.indexOf('--');
  return (end === -1 ? argv : argv.slice(0, end)).some((a) => a === '--help' || a === '-h');
}
