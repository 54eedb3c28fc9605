import { LANGUAGES, type Language } from '../knowledge/terms.ts';

/**
 * What a button asks for. Every button carries the entries and the language of the answer that
 * holds it, so that it acts on that answer, however many answers came after it in the thread.
 */
export type Action =
  /** The steps for the other causes of an entry. */
  | { type: 'more_causes'; language: Language; entry: string; cause: number }
  /** The same answer in another language. */
  | { type: 'language'; language: Language; to: Language; entries: string[]; cause: number }
  /** One of the "did you mean" candidates. */
  | { type: 'pick'; language: Language; entry: string }
  /** 👍 or 👎 for an answer, about every entry it holds. */
  | { type: 'feedback'; language: Language; entries: string[]; value: 'up' | 'down' };

const VERSION = 'bt1';
const ENTRY = /^(?:mars|iaasvm|mabs)\/[a-z0-9]+(?:-[a-z0-9]+)*$/u;
/** Longer data is not ours: Slack allows 2000 characters in a button's value. */
export const MAX_ACTION_CHARS = 600;

/** A button's data as one short string, the same on every platform: `bt1|type|language|…`. */
export function encodeAction(action: Action): string {
  switch (action.type) {
    case 'more_causes':
      return [VERSION, 'more', action.language, action.entry, action.cause].join('|');
    case 'language':
      return [VERSION, 'lang', action.language, action.entries.join(','), action.cause, action.to].join('|');
    case 'pick':
      return [VERSION, 'pick', action.language, action.entry].join('|');
    case 'feedback':
      return [VERSION, action.value === 'up' ? 'up' : 'down', action.language, action.entries.join(',')].join('|');
  }
}

/** The action a button's data asks for; undefined for anything that isn't a well-formed action of ours. */
export function decodeAction(data: unknown): Action | undefined {
  if (typeof data !== 'string' || data.length > MAX_ACTION_CHARS) return undefined;
  const [version, type, language, ids, cause, to, ...rest] = data.split('|');
  if (version !== VERSION || !isLanguage(language) || ids === undefined || rest.length > 0) return undefined;
  const entries = ids.split(',');
  if (entries.length === 0 || entries.length > 3 || !entries.every((e) => ENTRY.test(e))) return undefined;
  const entry = entries[0]!;
  const single = entries.length === 1;
  const n = cause === undefined ? undefined : /^\d{1,2}$/u.test(cause) ? Number(cause) : Number.NaN;
  switch (type) {
    case 'more':
      return single && n !== undefined && !Number.isNaN(n) && to === undefined ? { type: 'more_causes', language, entry, cause: n } : undefined;
    case 'lang':
      return n !== undefined && !Number.isNaN(n) && isLanguage(to) ? { type: 'language', language, to, entries, cause: n } : undefined;
    case 'pick':
      return single && cause === undefined ? { type: 'pick', language, entry } : undefined;
    case 'up':
    case 'down':
      return cause === undefined ? { type: 'feedback', language, entries, value: type } : undefined;
    default:
      return undefined;
  }
}

function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value);
}
