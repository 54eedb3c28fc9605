import type { ThreadContext } from '../answer/model.ts';
import type { Language } from '../knowledge/schema.ts';
import { type Detected, detectLanguage, languageScore } from '../language/detect.ts';
import { CHAT_WORDS } from '../language/markers.ts';
import type { ContextStore, EngineLogger } from '../ports.ts';
import { labelLanguageOf } from '../recognise/codes.ts';
import { tokenize } from '../nlp/natural.ts';
import type { Recognition } from '../recognise/recognise.ts';
import { ANSWER } from './decision.ts';

/** A thread's context, read and written through the store port; a failing store costs only context. */
export class Threads {
  constructor(
    private readonly store: ContextStore<ThreadContext>,
    private readonly logger?: EngineLogger,
  ) {}

  async load(thread: string): Promise<ThreadContext | undefined> {
    try {
      const context = await this.store.get(thread);
      return context && isContext(context) ? context : undefined;
    } catch (error) {
      this.logger?.warn({ err: errorName(error) }, 'context store read failed; answering without thread context');
      return undefined;
    }
  }

  async save(thread: string, context: ThreadContext): Promise<void> {
    try {
      await this.store.set(thread, context);
    } catch (error) {
      this.logger?.warn({ err: errorName(error) }, 'context store write failed; the answer is sent without saving context');
    }
  }
}

/** A context saved by an older version, or damaged, is no context. */
function isContext(value: ThreadContext): boolean {
  return Array.isArray(value.entries) && Array.isArray(value.suggestions) && Array.isArray(value.tried) && typeof value.cause === 'number';
}

/** An earlier answer or "did you mean" in the thread, which follow-ups and buttons refer to. */
export function holdsAnswer(context: ThreadContext | undefined): context is ThreadContext {
  return context !== undefined && (context.entries.length > 0 || context.suggestions.length > 0);
}

export function emptyContext(language: Language): ThreadContext {
  return { language, entries: [], cause: 0, tried: [], suggestions: [] };
}

/** A file name, as one word of a text: a name, a dot and a short extension (and maybe punctuation). */
/** A quoted span: in straight or curly double quotes, or in backticks (one or three). */
const QUOTED = /```[^`]*```|`[^`\n]+`|"[^"\n]+"|“[^“”\n]+”/gu;
const FILE_NAME = /^["'`(]?[\w-]+\.[a-z\d]{1,5}["'`),.;:]?$/iu;

export interface LanguageChoice {
  language: Language;
  /** The writer uses a language we don't answer in. */
  unsupported: boolean;
}

/** A sentence or line of the user's own in Dutch or Swedish decides from this score on. */
const OWN_SENTENCE = 4;

/**
 * The language of the user's words. Dutch and Swedish admins paste English messages and logs
 * around a sentence of their own ("Kwam vannacht binnen:" above a portal block), so one sentence
 * or line that is clearly Dutch or Swedish, more than it is English, decides over the paste's
 * English words.
 */
function ownLanguage(text: string, userTokens: string[], ownWords?: Record<Language, ReadonlySet<string>>): Detected {
  const detected = detectLanguage(userTokens, ownWords);
  if (detected !== 'en' && detected !== undefined) return detected;
  const user = new Set(userTokens);
  for (const sentence of text.split(/\n+|(?<=[.!?;:,])\s+/u)) {
    const tokens = tokenize(sentence).filter((t) => user.has(t));
    const language = detectLanguage(tokens, ownWords);
    if (language !== 'nl' && language !== 'sv') continue;
    const score = languageScore(tokens, language, ownWords);
    if (score >= OWN_SENTENCE && score > languageScore(tokens, 'en', ownWords)) return language;
  }
  return detected;
}

/**
 * The reply's language: the writer's own words first; for a follow-up, the thread's language next;
 * then the platform locale, the language of a recognised paste, the thread's, and English.
 */
export function replyLanguage(rec: Recognition, text: string, locale: Language | undefined, context: ThreadContext | undefined, followUp: boolean, ownWords?: Record<Language, ReadonlySet<string>>): LanguageChoice {
  // File names (`OnlineBackup.dat`, `cbengine.exe`) are no one's words: `dat` is not Dutch here.
  const files = new Set(text.split(/\s+/u).filter((w) => FILE_NAME.test(w)).flatMap((w) => tokenize(w)));
  // Words only inside quotes or backticks are quoted, not written: `får "backup can't cancel the
  // job" vad betyder det` is Swedish. A word also outside the quotes still counts.
  const outside = new Set(tokenize(text.replace(QUOTED, ' ')));
  const quoted = new Set(tokenize([...text.matchAll(QUOTED)].map((m) => m[0]).join(' ')).filter((t) => !outside.has(t)));
  const userTokens = rec.tokens.filter((t) => !rec.pastedTokens.has(t) && !files.has(t) && !quoted.has(t) && !/^\d+$/u.test(t));
  const detected = ownLanguage(text, userTokens, ownWords);
  if (detected === 'other') return { language: 'en', unsupported: true };
  const top = rec.candidates[0];
  const recognised = top !== undefined && top.score >= ANSWER;
  const pasteLanguage = (recognised ? top.language : undefined) ?? labelLanguageOf(text);
  let own = detected;
  // When nothing was recognised, words without a single pronoun, question word or greeting are
  // likely a pasted message of some other product, not the writer's own words: the platform
  // locale says more about the reader.
  if (own && locale && own !== locale && !recognised && !userTokens.some((t) => CHAT_WORDS[own!].has(t))) own = undefined;
  // A follow-up without a telling word keeps the thread's language; a new paste goes by the locale.
  const threadFirst = followUp && context?.entries.length ? context.language : undefined;
  return { language: own ?? threadFirst ?? locale ?? pasteLanguage ?? context?.language ?? 'en', unsupported: false };
}

export function errorName(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
