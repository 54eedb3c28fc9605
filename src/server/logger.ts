import { pino, type DestinationStream, type Logger } from 'pino';

export type { Logger };

/** JSON logs; headers that carry credentials are never written. */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      base: { app: 'backup-triage' },
      redact: { paths: ['req.headers.authorization', 'req.headers["x-slack-signature"]', 'token', '*.token'], censor: '[redacted]' },
    },
    destination,
  );
}

const PATTERNS: readonly [RegExp, string][] = [
  [/\bxox[abposr]-[\w-]+/giu, '[token]'],
  [/\bxapp-[\w-]+/giu, '[token]'],
  [/\beyJ[\w-]+\.[\w-]+\.[\w-]+/gu, '[token]'],
  [/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/giu, '[guid]'],
  [/\b(?:\d{1,3}\.){3}\d{1,3}(?::\d+)?\b/gu, '[ip]'],
  [/\b(?:[0-9a-f]{1,4}:){3,7}[0-9a-f]{1,4}\b/giu, '[ip]'],
  [/[\w.+-]+@[\w-]+(?:\.[\w-]+)+/gu, '[email]'],
  [/\\\\[\w.$-]+(?:\\[^\s\\]+)*/gu, '[path]'],
  [/\b(?:[a-z0-9-]+\.)+(?:com|net|org|local|lan|corp|internal|intra|io|nl|se|eu|cloud|azure\.com)\b/giu, '[host]'],
  // Server and VM names: letters and digits mixed, often with a dash (srv-app04, SQL01, vm-web-02).
  [/\b(?=[\w-]*\d)(?=[\w-]*[a-z])[a-z][\w]*(?:-[\w]+)*\d[\w-]*\b/giu, '[name]'],
  // Keys and secrets: long runs of base64 or hex.
  [/\b[A-Za-z0-9+/]{32,}={0,2}/gu, '[key]'],
];

/** A message made safe for logs: names, addresses, ids, tokens and keys replaced; kept short. */
export function redact(text: string, max = 160): string {
  let out = text.slice(0, max * 4);
  for (const [pattern, replacement] of PATTERNS) out = out.replace(pattern, replacement);
  out = out.replace(/\s+/gu, ' ').trim();
  return out.length > max ? `${out.slice(0, max - 1)}…` : out;
}
