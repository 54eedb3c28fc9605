/** The most text that text matching reads: a window of a long paste, around its error lines. */
export const MAX_INPUT_CHARS = 8000;
/** How far into a paste the error lines are looked for (the HTTP body limit). */
export const MAX_SCAN_CHARS = 1024 * 1024;
/** A window starts this far before its first error line, for the context above it. */
const LEAD_CHARS = 1000;
/** Only the start of a line is looked at for error words. */
const LINE_HEAD = 400;
/** What marks an error line in a log, in en, nl and sv: error words, IDs, HRESULTs, symbolic codes. */
const ERROR_LINE =
  /\b(?:errors?|failed|failure|fails|exception|fatal|fout|foutcode|mislukt|fel|felkod|misslyckades|misslyckas|id:? ?\d{3,6})\b|\b0x8[0-9a-f]{7}\b|\b(?:UserError|Extension|CBP|Sal)[A-Z][a-z]/iu;

export type InputProblem = 'empty' | 'binary' | 'no-text';

export interface CleanText {
  /** The text with chat markup and log noise removed, for matching. */
  text: string;
  /** The same text split into the lines the user sent (after clean-up), for per-line matching. */
  lines: string[];
  /** True when the input was longer than MAX_INPUT_CHARS and was cut. */
  truncated: boolean;
  /** Which part of a long input was read: its start, or the window around its error lines. */
  window?: 'start' | 'errors';
  problem?: InputProblem;
}

const ENTITIES: Record<string, string> = { '&gt;': '>', '&lt;': '<', '&amp;': '&', '&quot;': '"', '&#39;': "'", '&nbsp;': ' ' };

/**
 * Removes what surrounds a real paste: Slack and Teams markup, quotes, code fences, timestamps,
 * GUIDs, IP addresses and log prefixes. Returns the text to match on, never longer than the cap.
 */
export function cleanInput(raw: string): CleanText {
  const truncated = raw.length > MAX_INPUT_CHARS;
  const window = truncated ? errorWindow(raw.slice(0, MAX_SCAN_CHARS)) : undefined;
  let text = window ? raw.slice(window.start, window.start + MAX_INPUT_CHARS) : raw;

  if (looksBinary(text)) return { text: '', lines: [], truncated, problem: 'binary' };
  const read = window ? { window: window.errors ? ('errors' as const) : ('start' as const) } : {};

  text = text
    // Every kind of white space but the newline becomes one space, so that no pattern below ever
    // meets a long run of it; invisible characters inside words go.
    .replace(/\r\n?/gu, '\n')
    .replace(/[\u200b-\u200d\u2060\ufeff]/gu, '')
    .replace(/[^\S\n]+/gu, ' ')
    .replace(/ ?\n[\n ]*/gu, '\n')
    .replace(/&(?:gt|lt|amp|quot|#39|nbsp);/gu, (m) => ENTITIES[m] ?? m)
    .replace(/<at>[^<]{0,200}<\/at>/giu, ' ') // Teams mentions
    .replace(/<\/?(?:p|div|span|br|b|i|strong|em|code|pre)\b[^>]{0,200}>/giu, ' ') // Teams HTML
    .replace(/<[@#!][^>\s]{1,80}>/gu, ' ') // Slack user, channel and special mentions
    .replace(/<((?:https?|mailto):[^|>\s]{1,2000})\|([^>]{0,500})>/giu, ' $2 ') // Slack links with a label
    .replace(/<((?:https?|mailto):[^>\s]{1,2000})>/giu, ' ') // bare Slack links
    .replace(/https?:\/\/\S{1,2000}/giu, ' ')
    .replace(/```[a-z]*\n?/giu, '\n')
    .replace(/^[ \t]*>+[ \t]?/gmu, '') // quotes
    .replace(/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/giu, ' ') // GUIDs
    .replace(/\b\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?/gu, ' ') // ISO timestamps
    .replace(/\b\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}\b/gu, ' ') // dates
    .replace(/\b\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?(?:\s?[AP]M)?\b/giu, ' ') // times
    .replace(/\b(?:\d{1,3}\.){3}\d{1,3}(?::\d+)?\b/gu, ' ') // IPv4 addresses
    .replace(/\b(?:INFO|WARN(?:ING)?|ERROR|ERR|DEBUG|TRACE|FATAL)\s*[:|\]-]/gu, ' ') // log levels
    .replace(/[*_~`]+/gu, ' '); // chat emphasis

  const lines = text
    .split('\n')
    .map((l) => l.replace(/[^\S\n]+/gu, ' ').trim())
    .filter((l) => l.length > 0);
  const joined = lines.join('\n');
  if (joined.length === 0) return { text: '', lines: [], truncated, problem: raw.trim() ? 'no-text' : 'empty' };
  if (!/[\p{L}\p{N}]/u.test(joined)) return { text: '', lines: [], truncated, problem: 'no-text' };
  return { text: joined, lines, truncated, ...read };
}

/**
 * Where to read a long paste: the MAX_INPUT_CHARS-long window that holds the most error lines
 * (a later one on a tie: a log's last errors are usually the ones that matter), starting a little
 * before its first one; the start when no line looks like an error. One pass over the lines.
 */
export function errorWindow(text: string): { start: number; errors: boolean } {
  const starts: number[] = [];
  for (let at = 0; at < text.length; ) {
    const end = text.indexOf('\n', at);
    const next = end < 0 ? text.length : end + 1;
    if (ERROR_LINE.test(text.slice(at, Math.min(next, at + LINE_HEAD)))) starts.push(at);
    at = next;
  }
  if (starts.length === 0) return { start: 0, errors: false };
  let best = 0;
  let bestCount = 0;
  let last = 0;
  for (let first = 0; first < starts.length; first += 1) {
    const from = Math.max(0, starts[first]! - LEAD_CHARS);
    while (last < starts.length && starts[last]! < from + MAX_INPUT_CHARS) last += 1;
    if (last - first >= bestCount) {
      bestCount = last - first;
      best = from;
    }
  }
  return { start: best, errors: true };
}

/** Control characters or replacement characters in bulk mean the input is not text. */
function looksBinary(text: string): boolean {
  if (text.includes('\u0000')) return true;
  const sample = text.slice(0, 2000);
  if (sample.length === 0) return false;
  let odd = 0;
  for (const ch of sample) {
    const c = ch.codePointAt(0) ?? 0;
    if ((c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d && c !== 0x0c && c !== 0x0b) || c === 0x7f || c === 0xfffd) odd += 1;
  }
  return odd / sample.length > 0.1;
}
