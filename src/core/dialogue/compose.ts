import type { Action } from '../answer/actions.ts';
import type { Answer, AnswerKind, Block, Button, Focus, MatchRef, Suggestion, ThreadContext } from '../answer/model.ts';
import { plain, rich, stepItem } from '../answer/rich.ts';
import { LANGUAGE_LABELS, STRINGS } from '../i18n/strings.ts';
import { articleUrl } from '../knowledge/links.ts';
import { LANGUAGES, type Language } from '../knowledge/terms.ts';
import type { Action as KnowledgeAction, Cause, Entry } from '../knowledge/schema.ts';

/** How an entry is shown: with which confidence, which cause's steps, and which causes were tried. */
export interface EntryState {
  entry: Entry;
  /** How sure the recognition was; unknown for an answer a button asked for again. */
  confidence: number | undefined;
  cause: number;
  tried: number[];
}

export function causesOf(entry: Entry, language: Language): Cause[] {
  return entry.locales[language].causes ?? [];
}

/** The cause whose steps show, within range; undefined for a guide with steps of its own. */
export function focusCause(entry: Entry, cause: number): number | undefined {
  const t = entry.locales.en;
  if ((t.steps?.length ?? 0) > 0 || (t.causes?.length ?? 0) === 0) return undefined;
  return Math.min(Math.max(0, cause), (t.causes?.length ?? 1) - 1);
}

export function matchRef(entry: Entry, language: Language, confidence: number | undefined, focus: Focus = {}): MatchRef {
  return {
    id: entry.id,
    product: entry.product,
    kind: entry.kind,
    doc: entry.source.doc,
    anchor: entry.source.anchor,
    codes: entry.codes,
    title: entry.locales[language].title,
    url: articleUrl(entry, language),
    confidence: confidence === undefined ? null : Math.round(Math.min(1, confidence) * 100) / 100,
    focus,
    causes: causesOf(entry, language).map((c) => ({ cause: c.cause, actions: c.actions.map(actionText) })),
  };
}

/** An action as one text: its sentence, its sub-steps as a list, its code fenced. */
function actionText(action: KnowledgeAction): string {
  if (typeof action === 'string') return action;
  const lines = [action.text];
  for (const sub of action.steps ?? []) {
    lines.push(`- ${typeof sub === 'string' ? sub : sub.text}`);
    if (typeof sub !== 'string') lines.push('```', sub.code.trimEnd(), '```');
  }
  if (action.code) lines.push('```', action.code.trimEnd(), '```');
  return lines.join('\n');
}

/**
 * The action that sums up a cause's fix in the table: its first action that not every cause shares
 * (a common first step such as "upgrade the agent" says nothing about this cause).
 */
export function keyAction(causes: Cause[], index: number): KnowledgeAction | undefined {
  const cause = causes[index];
  if (!cause) return undefined;
  const text = (a: KnowledgeAction) => (typeof a === 'string' ? a : a.text);
  const shared = (a: KnowledgeAction) => causes.length > 1 && causes.every((c) => c.actions.some((b) => text(b) === text(a)));
  return cause.actions.find((a) => !shared(a)) ?? cause.actions[0];
}

/** The cause table, when an entry has more than one cause; the current cause and tried ones marked. */
export function causeTable(entry: Entry, language: Language, current: number | undefined, tried: number[]): Block | undefined {
  const s = STRINGS[language];
  const causes = causesOf(entry, language);
  if (causes.length < 2) return undefined;
  return {
    type: 'causes',
    columns: [s.cause, s.fix],
    marks: { current: s.markCurrent, tried: s.markTried },
    rows: causes.map((c, i) => {
      const fix = keyAction(causes, i);
      const state = i === current ? 'current' : tried.includes(i) ? 'tried' : undefined;
      return { n: i + 1, cause: rich(c.cause), ...(fix ? { fix: stepItem(fix) } : {}), ...(state ? { state } : {}) };
    }),
  };
}

/** One cause's steps under the cause's own heading. */
export function causeSteps(entry: Entry, language: Language, index: number): Block[] {
  const causes = causesOf(entry, language);
  const cause = causes[index];
  if (!cause) return [];
  const out: Block[] = [{ type: 'heading', level: 2, text: rich(STRINGS[language].causeHeading(index + 1, causes.length, cause.cause)) }];
  if (cause.detail) out.push({ type: 'paragraph', text: rich(cause.detail) });
  out.push({ type: 'steps', start: 1, items: cause.actions.map(stepItem) });
  return out;
}

/** The title and the small print under it. */
export function titleBlocks(entry: Entry, language: Language, confidence?: number): Block[] {
  const s = STRINGS[language];
  const items = [entry.kind === 'error' ? s.errorLabel : s.guideLabel, s.product[entry.product]];
  if (confidence !== undefined) items.push(s.confidence(Math.round(Math.min(1, confidence) * 100)));
  return [
    { type: 'heading', level: 1, text: plain(entry.locales[language].title) },
    { type: 'meta', items, codes: entry.codes.slice(0, 3) },
  ];
}

export function linkBlock(entry: Entry, language: Language): Block {
  return { type: 'link', label: STRINGS[language].article, url: articleUrl(entry, language) };
}

export function noteBlocks(entry: Entry, language: Language): Block[] {
  const label = STRINGS[language].notes;
  return (entry.locales[language].notes ?? []).map((n) => ({ type: 'note', label, text: rich(n) }));
}

/** A whole entry: title, summary, cause table, the steps of the cause in focus (or the guide's), notes, link. */
export function entryBlocks(state: EntryState, language: Language): Block[] {
  const { entry } = state;
  const t = entry.locales[language];
  const out = titleBlocks(entry, language, state.confidence);
  if (t.summary) out.push({ type: 'paragraph', text: rich(t.summary) });
  const cause = focusCause(entry, state.cause);
  const table = causeTable(entry, language, cause, state.tried);
  if (table) out.push(table);
  if (cause !== undefined) out.push(...causeSteps(entry, language, cause));
  else if (t.steps?.length) out.push({ type: 'heading', level: 2, text: plain(STRINGS[language].guideSteps) }, { type: 'steps', start: 1, items: t.steps.map(stepItem) });
  out.push(...noteBlocks(entry, language), linkBlock(entry, language));
  return out;
}

/** A product's basic checklist (its basic-troubleshooting guide), as steps and a link. */
export function checklistBlocks(guide: Entry | undefined, language: Language): Block[] {
  const steps = guide?.locales[language].steps;
  if (!guide || !steps?.length) return [];
  return [{ type: 'steps', start: 1, items: steps.map(stepItem) }, linkBlock(guide, language)];
}

export function notice(text: string): Block {
  return { type: 'notice', text: plain(text) };
}

/** The buttons under an answer about entries: other causes, the other languages, and feedback. */
export function answerButtons(language: Language, states: EntryState[]): Button[] {
  const s = STRINGS[language];
  const first = states[0];
  if (!first) return [];
  const out: Button[] = [];
  const causes = causesOf(first.entry, language).length;
  const cause = focusCause(first.entry, first.cause) ?? 0;
  if (states.length === 1 && causes > 1 && first.tried.length + 1 < causes) {
    out.push({ label: s.buttonOtherCauses, group: 'answer', action: { type: 'more_causes', language, entry: first.entry.id, cause } });
  }
  const entries = states.map((x) => x.entry.id);
  for (const to of LANGUAGES) {
    if (to !== language) out.push({ label: LANGUAGE_LABELS[to], group: 'answer', action: { type: 'language', language, to, entries, cause } });
  }
  const feedback = (value: 'up' | 'down'): Action => ({ type: 'feedback', language, entries, value });
  out.push({ label: `👍 ${s.feedbackYes}`, group: 'feedback', action: feedback('up') }, { label: `👎 ${s.feedbackNo}`, group: 'feedback', action: feedback('down') });
  return out;
}

/** "Did you mean": the candidates as numbered choices, each with its product, and a button each. */
export function choicesAnswer(language: Language, suggestions: { entry: Entry; score: number }[], lead: Block[]): { blocks: Block[]; buttons: Button[]; suggestions: Suggestion[] } {
  const s = STRINGS[language];
  const items = suggestions.map((c, i) => ({ n: i + 1, id: c.entry.id, title: c.entry.locales[language].title, product: s.product[c.entry.product] }));
  return {
    blocks: [...lead, notice(s.didYouMean), { type: 'choices', items }, notice(s.didYouMeanHint)],
    buttons: items.map((x) => ({ label: `${x.n}. ${x.title} (${x.product})`, group: 'choices', action: { type: 'pick', language, entry: x.id } })),
    suggestions: suggestions.map((c) => ({ id: c.entry.id, title: c.entry.locales[language].title, product: c.entry.product, confidence: Math.round(Math.min(1, c.score) * 100) / 100 })),
  };
}

/** An answer of sentences only. */
export function sentences(language: Language, kind: AnswerKind, texts: string[], context?: ThreadContext): Answer {
  return { language, kind, matches: [], suggestions: [], blocks: texts.map(notice), buttons: [], silent: false, sure: false, ...(context ? { context } : {}) };
}
