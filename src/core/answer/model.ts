import type { Action, Entry, Kind, Language, Product } from '../knowledge/schema.ts';
import { articleUrl } from '../knowledge/links.ts';

export const INTENTS = ['diagnose', 'explain_step', 'more_causes', 'not_resolved', 'switch_language', 'thanks', 'help'] as const;
export type Intent = (typeof INTENTS)[number];

/** What an adapter hands the engine: one message from one person in one thread. */
export interface IncomingMessage {
  text: string;
  /** Identifies the conversation thread; follow-ups share it. */
  thread: string;
  user: string;
  /** The platform's locale for the user (`nl-NL`), a hint for the reply language. */
  locale?: string;
  /** A button pressed under an earlier answer in the thread, instead of text. */
  action?: MessageAction;
}

/** What the buttons under an answer ask for. */
export type MessageAction =
  | { type: 'more_causes' }
  | { type: 'language'; language: Language }
  | { type: 'pick'; index: number };

/** One step: its text, sub-steps and code, ready for any renderer. */
export interface StepView {
  text: string;
  substeps: { text: string; code?: string }[];
  code?: string;
}

export interface CauseView {
  cause: string;
  detail?: string;
  actions: StepView[];
}

export interface MatchView {
  id: string;
  product: Product;
  kind: Kind;
  doc: string;
  anchor: string;
  codes: string[];
  /** 0..1 */
  confidence: number;
  title: string;
  summary?: string;
  causes: CauseView[];
  /** The numbered steps shown: the focused cause's actions, or a guide's steps. */
  steps: StepView[];
  /** Which cause the steps belong to (index into causes), when they belong to one. */
  focusCause?: number;
  notes: string[];
  url: string;
}

export interface Suggestion {
  id: string;
  title: string;
  product: Product;
  confidence: number;
}

/** The neutral answer every adapter renders; `text` is the plain-text rendering. */
export interface Answer {
  language: Language;
  intent: Intent;
  /** Sentences that go before the matches (notices, "did you mean", no match, help…). */
  lead: string[];
  matches: MatchView[];
  suggestions: Suggestion[];
  /** Sentences that go after the matches (other causes, checklist pointers). */
  tail: string[];
  text: string;
}

export function stepView(action: Action): StepView {
  if (typeof action === 'string') return { text: action, substeps: [] };
  return {
    text: action.text,
    substeps: (action.steps ?? []).map((s) => (typeof s === 'string' ? { text: s } : { text: s.text, code: s.code })),
    ...(action.code ? { code: action.code } : {}),
  };
}

/** An entry seen in one language, its steps taken from the cause in focus. */
export function matchView(entry: Entry, language: Language, confidence: number, focusCause = 0): MatchView {
  const t = entry.locales[language];
  const causes = (t.causes ?? []).map((c) => ({
    cause: c.cause,
    ...(c.detail ? { detail: c.detail } : {}),
    actions: c.actions.map(stepView),
  }));
  const hasOwnSteps = (t.steps?.length ?? 0) > 0;
  const focus = Math.min(Math.max(0, focusCause), Math.max(0, causes.length - 1));
  return {
    id: entry.id,
    product: entry.product,
    kind: entry.kind,
    doc: entry.source.doc,
    anchor: entry.source.anchor,
    codes: entry.codes,
    confidence: Math.round(Math.min(1, confidence) * 100) / 100,
    title: t.title,
    ...(t.summary ? { summary: t.summary } : {}),
    causes,
    steps: hasOwnSteps ? (t.steps ?? []).map(stepView) : (causes[focus]?.actions ?? []),
    ...(!hasOwnSteps && causes.length > 0 ? { focusCause: focus } : {}),
    notes: t.notes ?? [],
    url: articleUrl(entry, language),
  };
}

/**
 * The action that sums up a cause's fix in a table: its first action that not every cause shares
 * (a common first step such as "upgrade the agent" says nothing about this cause).
 */
export function keyAction(causes: CauseView[], index: number): StepView | undefined {
  const cause = causes[index];
  if (!cause) return undefined;
  const shared = (a: StepView) => causes.length > 1 && causes.every((c) => c.actions.some((b) => b.text === a.text));
  return cause.actions.find((a) => !shared(a)) ?? cause.actions[0];
}

/** A text cut to at most `max` characters, with an ellipsis when cut. */
export function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** A step as one string: its text, then its sub-steps and code on their own lines. */
export function stepText(step: StepView): string {
  const lines = [step.text];
  for (const s of step.substeps) {
    lines.push(`- ${s.text}`);
    if (s.code) lines.push(indentCode(s.code));
  }
  if (step.code) lines.push(indentCode(step.code));
  return lines.join('\n');
}

function indentCode(code: string): string {
  return ['```', code.trimEnd(), '```'].join('\n');
}

/** The stable JSON interface of `ask --json` and `chat --jsonl`. */
export function answerJson(answer: Answer) {
  return {
    language: answer.language,
    intent: answer.intent,
    matches: answer.matches.map((m) => ({
      id: m.id,
      doc: m.doc,
      anchor: m.anchor,
      confidence: m.confidence,
      title: m.title,
      causes: m.causes.map((c) => ({ cause: c.cause, actions: c.actions.map(stepText) })),
      url: m.url,
    })),
    suggestions: answer.suggestions.map((s) => ({ id: s.id, title: s.title, confidence: s.confidence })),
    text: answer.text,
  };
}
