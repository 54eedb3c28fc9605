import { pino, type DestinationStream, type Logger } from 'pino';

export type { Logger };

/** The longest a user-supplied field may be in a log line, after masking. */
export const MAX_LOGGED_CHARS = 160;
/** The longest any other field or message may be. */
const MAX_OTHER_CHARS = 400;
/** Masking reads at most this much of a field; what follows could never reach the line anyway. */
const MASK_WINDOW = 16 * 1024;
/** How deep into logged objects and how many array items the masking goes. */
const MAX_DEPTH = 4;
const MAX_ITEMS = 20;

/**
 * Fields the bot itself fills with identifiers and numbers (ids of channels, threads and messages,
 * entry ids, timings): capped but not masked, so that a log line still says whose reply it was.
 * Every other field, and every message, is treated as possibly carrying what a user pasted.
 */
const OWN_FIELDS = new Set([
  'app', 'platform', 'component', 'platforms', 'mode', 'channel', 'thread', 'conversation', 'messageId', 'activityId',
  'method', 'intent', 'language', 'matches', 'suggestions', 'ms', 'status', 'attempt', 'attempts', 'retryAfter', 'wait',
  'pending', 'signal', 'feedback', 'what', 'url', 'address', 'port', 'code', 'length', 'limitMs', 'store', 'ready',
  'kind', 'entries', 'action', 'outcome', 'op', 'downMs',
]);

/** Host names end in a top-level domain; these endings are file names (`cbengine.exe`). */
const FILE_ENDINGS = new Set([
  'exe', 'dll', 'sys', 'msi', 'msu', 'cab', 'log', 'txt', 'xml', 'json', 'yaml', 'yml', 'ini', 'cfg', 'config', 'ps1', 'psm1',
  'bat', 'cmd', 'sh', 'js', 'ts', 'vhd', 'vhdx', 'vmdk', 'vmcx', 'bak', 'mdf', 'ldf', 'etl', 'evtx', 'zip', 'tmp', 'dat',
  'cer', 'pfx', 'crt', 'vaultcredentials', 'md', 'html', 'htm', 'csv', 'old',
]);

const PATTERNS: readonly [RegExp, string | ((match: string) => string)][] = [
  [/\bxox[abposre]-[\w-]{1,256}/giu, '[token]'],
  [/\bxapp-[\w-]{1,256}/giu, '[token]'],
  [/\beyJ[\w-]{1,4096}\.[\w-]{1,4096}\.[\w-]{0,4096}/gu, '[token]'],
  [/\bbearer [\w.~+/-]{1,4096}=*/giu, 'bearer [token]'],
  // SAS signatures and secrets written as name=value (in a connection string, a URL, a command).
  [/\b(sig|password|passwd|pwd|secret|client_secret|accountkey|sharedaccesskey|token|apikey|api_key)(\s?[=:]\s?)[^\s;&,"']{1,4096}/giu, '$1$2[redacted]'],
  [/[\w.+-]{1,64}@[a-z0-9-]{1,63}(?:\.[a-z0-9-]{1,63}){1,8}/giu, '[email]'],
  [/\\\\[\w.$-]{1,255}(?:\\[^\s\\]{1,255}){0,32}/gu, '[path]'],
  [/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/giu, '[guid]'],
  [/\b(?:\d{1,3}\.){3}\d{1,3}(?::\d{1,5})?\b/gu, '[ip]'],
  // IPv6: eight groups, or fewer around a "::".
  [/(?<![\w:])(?:[0-9a-f]{1,4}:){7}[0-9a-f]{1,4}(?![\w:])/giu, '[ip]'],
  [/(?<![\w:])(?:[0-9a-f]{1,4}:){0,7}:(?::|(?::?[0-9a-f]{1,4}){1,7}(?:\.\d{1,3}){0,3})?(?![\w:])/giu, (m) => (m.length > 2 ? '[ip]' : m)],
  // Host names with any top-level domain (contoso.de, fs01.fabrikam.co.uk), but not file names.
  [/\b(?:[a-z0-9][a-z0-9-]{0,62}\.){1,16}[a-z][a-z0-9-]{1,62}\b/giu, (m) => (isFileName(m) ? m : '[host]')],
  // Words that mix letters and digits are server and VM names (srv-app04, SQL01), or keys when long.
  [/[\w+/=-]{4,4096}/gu, maskWord],
];

function isFileName(name: string): boolean {
  const parts = name.toLowerCase().split('.');
  return parts.length === 2 && FILE_ENDINGS.has(parts[1]!);
}

function maskWord(word: string): string {
  const hasDigit = /\d/u.test(word);
  const hasLetter = /[a-z]/iu.test(word);
  if (!hasDigit || !hasLetter) return word; // error codes in words (ExtensionFailedVssWriterInBadState), numbers
  if (/^0x[0-9a-f]{1,16}$/iu.test(word)) return word; // hex error codes (0x80070005)
  if (word.length >= 32) return '[key]';
  return /^[a-z]/iu.test(word) ? '[name]' : word;
}

/**
 * A text made safe for a log line: white space folded, then names, addresses, ids, tokens, keys and
 * secrets masked, and only then cut to `max` characters. The product's error codes stay readable.
 */
export function redact(text: string, max = MAX_LOGGED_CHARS): string {
  let out = text.length > MASK_WINDOW ? text.slice(0, MASK_WINDOW) : text;
  out = out.replace(/\s+/gu, ' ').trim();
  // A word cut in two at the window's edge could escape its pattern: it is left out whole.
  if (text.length > MASK_WINDOW) out = out.slice(0, Math.max(0, out.lastIndexOf(' ')));
  for (const [pattern, replacement] of PATTERNS) out = out.replace(pattern, replacement as string);
  return out.length > max ? `${out.slice(0, max - 1)}…` : out;
}

function cap(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** A logged value, masked (unless it is one of the bot's own fields) and capped, at any depth. */
function clean(value: unknown, own: boolean, depth: number): unknown {
  if (typeof value === 'string') return own ? cap(value, MAX_OTHER_CHARS) : redact(value);
  if (value === null || typeof value !== 'object') return value;
  if (depth >= MAX_DEPTH) return '[object]';
  if (value instanceof Error) {
    const error: Record<string, unknown> = { type: value.name, message: redact(value.message, MAX_OTHER_CHARS) };
    if (process.env.DEBUG && value.stack) error.stack = redact(value.stack, 4000);
    return error;
  }
  if (Array.isArray(value)) return value.slice(0, MAX_ITEMS).map((v) => clean(v, own, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value).slice(0, MAX_ITEMS)) out[key] = clean(v, depth === 0 ? OWN_FIELDS.has(key) : own, depth + 1);
  return out;
}

/**
 * JSON logs (pino). Redaction is part of the logger: every field that may hold what a user sent,
 * and every message, is masked and capped here, whatever the call site passes.
 */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      base: { app: 'backup-triage' },
      redact: { paths: ['req.headers.authorization', 'req.headers["x-slack-signature"]', 'token', '*.token'], censor: '[redacted]' },
      formatters: {
        log: (object) => clean(object, false, 0) as Record<string, unknown>,
      },
      hooks: {
        logMethod(args, method) {
          const masked = args.map((arg) => (typeof arg === 'string' ? redact(arg, MAX_OTHER_CHARS) : arg)) as Parameters<typeof method>;
          method.apply(this, masked);
        },
      },
    },
    destination,
  );
}
