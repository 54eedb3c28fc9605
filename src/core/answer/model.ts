import type { Kind, Language, Product } from '../knowledge/schema.ts';
import type { Action } from './actions.ts';

/** What the intent classifier tells apart: each has a file of phrases in `intents/`. */
export const INTENTS = ['diagnose', 'explain_step', 'more_causes', 'not_resolved', 'switch_language', 'thanks', 'help'] as const;
export type Intent = (typeof INTENTS)[number];

/** What an answer does: an intent, a question about the answer in focus, or thanks for feedback. */
export type AnswerKind = Intent | 'question' | 'feedback';

/** What an adapter hands the engine: one message from one person in one thread. */
export interface IncomingMessage {
  text: string;
  /** Identifies the conversation thread; follow-ups share it. */
  thread: string;
  user: string;
  /** The platform's locale for the user (`nl-NL`), a hint for the reply language. */
  locale?: string;
  /** A button pressed under an answer, instead of text. */
  action?: Action;
}

/**
 * How a message reached the bot. `direct`: it was addressed to the bot, always answer. `thread`: a
 * reply in a thread, answered only when the thread holds an answer of ours. `passive`: a message
 * overheard in a channel, answered only when it is a pasted error the bot is sure of.
 */
export type Mode = 'direct' | 'thread' | 'passive';

/** A piece of text with one style. Knowledge texts are parsed into spans; renderers style them. */
export type Span = { text: string; style?: 'code' | 'bold' } | { text: string; url: string };
export type Rich = Span[];

/** One step: its text, sub-steps and code. Code is kept as written, line by line. */
export interface StepItem {
  text: Rich;
  substeps: { text: Rich; code?: string }[];
  code?: string;
}

export interface CauseRow {
  n: number;
  cause: Rich;
  /** The action that sums up this cause's fix, whole. */
  fix?: StepItem;
  /** `current`: its steps are the ones showing; `tried`: the user has been past it. */
  state?: 'current' | 'tried';
}

/** The typed pieces of an answer. Every renderer renders each of them with the same rules. */
export type Block =
  /** A paragraph of the bot's own words. */
  | { type: 'notice'; text: Rich }
  /** An entry's title (level 1), or a section heading (level 2). */
  | { type: 'heading'; level: 1 | 2; text: Rich }
  /** The small print under a title: kind, product, codes, confidence. */
  | { type: 'meta'; items: string[]; codes: string[] }
  | { type: 'paragraph'; text: Rich }
  | { type: 'causes'; columns: [string, string]; rows: CauseRow[]; marks: { current: string; tried: string } }
  /** Numbered steps, the first one numbered `start`. */
  | { type: 'steps'; start: number; items: StepItem[] }
  | { type: 'code'; code: string }
  | { type: 'note'; label: string; text: Rich }
  | { type: 'link'; label: string; url: string }
  /** Candidates to choose from ("did you mean"), numbered from 1. */
  | { type: 'choices'; items: { n: number; id: string; title: string; product: string }[] }
  | { type: 'divider' };

export interface Button {
  label: string;
  action: Action;
  /** Buttons of one group are shown together (Slack: one actions block; Teams: one row). */
  group: 'choices' | 'answer' | 'feedback';
}

/** Where in an entry the answer is: the cause whose steps show, the step or note it quotes. */
export interface Focus {
  /** Index from 0. */
  cause?: number;
  /** Number from 1, as the steps are numbered. */
  step?: number;
  /** Number from 1, in the order of the entry's notes. */
  note?: number;
}

/** An entry the answer is about. */
export interface MatchRef {
  id: string;
  product: Product;
  kind: Kind;
  doc: string;
  anchor: string;
  codes: string[];
  title: string;
  url: string;
  /** 0..1; null when the answer was asked for by a button, not recognised. */
  confidence: number | null;
  focus: Focus;
  /** The entry's causes and their actions, as text with light Markdown. */
  causes: { cause: string; actions: string[] }[];
}

export interface Suggestion {
  id: string;
  title: string;
  product: Product;
  confidence: number;
}

/** What a thread remembers between messages. */
export interface ThreadContext {
  language: Language;
  /** The entries of the last answer, the first one in focus. */
  entries: { id: string; confidence: number }[];
  /** The cause whose steps are showing, for the entry in focus. */
  cause: number;
  /** Causes of the entry in focus the user has been past (shown, or said to be tried). */
  tried: number[];
  /** Entries offered as "did you mean", so that a reply "2" picks one. */
  suggestions: { id: string; confidence: number }[];
}

/** The neutral answer every adapter renders. */
export interface Answer {
  language: Language;
  kind: AnswerKind;
  /** The entries the answer is about, in the order they are shown. */
  matches: MatchRef[];
  suggestions: Suggestion[];
  blocks: Block[];
  buttons: Button[];
  /** True when nothing should be sent: a passive or thread message the bot should not answer. */
  silent: boolean;
  /** A pasted error answered outright: what a passive listener may post. */
  sure: boolean;
  /** What the thread should remember after this answer; undefined leaves it as it was. */
  context?: ThreadContext;
}
