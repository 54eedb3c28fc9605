import type { ActionsBlock, Button, KnownBlock, RichTextBlock, RichTextElement, RichTextList, RichTextSection } from '@slack/types';
import { keyAction, truncate, type Answer, type MatchView, type MessageAction, type StepView } from '../../core/answer/model.ts';
import { LANGUAGE_LABELS, STRINGS } from '../../core/i18n/strings.ts';
import { LANGUAGES, type Language } from '../../core/knowledge/schema.ts';

/** Slack's limits for one message, with room to spare. */
export const LIMITS = {
  blocks: 50,
  /** Characters of one section's text. */
  sectionText: 3000,
  headerText: 150,
  buttonText: 75,
  /** Characters of all blocks of one message, as JSON. */
  blocksJson: 12_000,
  /** Characters of the plain-text fallback. */
  fallback: 3000,
  /** A long answer is split over at most this many messages, then trimmed. */
  messages: 3,
} as const;

/** Button action ids; the thread they belong to comes from the message they are under. */
export const ACTION = {
  more: 'bt_more_causes',
  language: (l: Language) => `bt_language_${l}`,
  pick: (n: number) => `bt_pick_${n}`,
  feedbackUp: 'bt_feedback_up',
  feedbackDown: 'bt_feedback_down',
} as const;
export const ACTION_PATTERN = /^bt_/u;

/** What a button's action id asks for: an engine action, or feedback. */
export function decodeAction(id: string): MessageAction | { type: 'feedback'; value: 'up' | 'down' } | undefined {
  if (id === ACTION.more) return { type: 'more_causes' };
  if (id === ACTION.feedbackUp || id === ACTION.feedbackDown) return { type: 'feedback', value: id === ACTION.feedbackUp ? 'up' : 'down' };
  const language = LANGUAGES.find((l) => id === ACTION.language(l));
  if (language) return { type: 'language', language };
  const pick = /^bt_pick_(\d)$/u.exec(id);
  return pick ? { type: 'pick', index: Number(pick[1]) } : undefined;
}


export interface SlackMessage {
  text: string;
  blocks: KnownBlock[];
}

/** `&`, `<` and `>` are Slack's control characters in mrkdwn. */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/gu, '&amp;').replace(/</gu, '&lt;').replace(/>/gu, '&gt;');
}

/** Our light Markdown (`code`, **bold**, [text](url)) as Slack mrkdwn. */
export function toMrkdwn(text: string): string {
  const parts: string[] = [];
  for (const piece of inline(text)) {
    if (piece.kind === 'code') parts.push(`\`${escapeMrkdwn(piece.text)}\``);
    else if (piece.kind === 'bold') parts.push(`*${escapeMrkdwn(piece.text)}*`);
    else if (piece.kind === 'link') parts.push(`<${piece.url}|${escapeMrkdwn(piece.text)}>`);
    else parts.push(escapeMrkdwn(piece.text));
  }
  return parts.join('');
}

type Piece = { kind: 'text' | 'code' | 'bold'; text: string } | { kind: 'link'; text: string; url: string };

function inline(text: string): Piece[] {
  const out: Piece[] = [];
  const pattern = /`([^`]+)`|\*\*([^*]+)\*\*|\[([^[\]]+)\]\((https:\/\/[^()\s]+)\)/gu;
  let last = 0;
  for (const m of text.matchAll(pattern)) {
    if (m.index > last) out.push({ kind: 'text', text: text.slice(last, m.index) });
    if (m[1] !== undefined) out.push({ kind: 'code', text: m[1] });
    else if (m[2] !== undefined) out.push({ kind: 'bold', text: m[2] });
    else out.push({ kind: 'link', text: m[3] ?? '', url: m[4] ?? '' });
    last = m.index + m[0].length;
  }
  if (last < text.length) out.push({ kind: 'text', text: text.slice(last) });
  return out;
}

function richInline(text: string): RichTextElement[] {
  return inline(text).map((p): RichTextElement => {
    if (p.kind === 'link') return { type: 'link', url: p.url, text: p.text };
    if (p.kind === 'code') return { type: 'text', text: p.text, style: { code: true } };
    if (p.kind === 'bold') return { type: 'text', text: p.text, style: { bold: true } };
    return { type: 'text', text: p.text };
  });
}


function section(text: string): KnownBlock {
  return { type: 'section', text: { type: 'mrkdwn', text: truncate(text, LIMITS.sectionText) } };
}

function context(text: string): KnownBlock {
  return { type: 'context', elements: [{ type: 'mrkdwn', text: truncate(text, LIMITS.sectionText) }] };
}

function button(text: string, actionId: string, value: string, style?: 'primary'): Button {
  return { type: 'button', text: { type: 'plain_text', text: truncate(text, LIMITS.buttonText), emoji: true }, action_id: actionId, value, ...(style ? { style } : {}) };
}

/** Characters of step text per rich_text block, so that a long list splits into several blocks. */
const STEP_CHARS_PER_BLOCK = 2500;

/** The numbered steps as rich_text blocks, numbering carried across blocks when the list is long. */
export function stepsBlocks(steps: StepView[]): RichTextBlock[] {
  const out: RichTextBlock[] = [];
  let chunk: StepView[] = [];
  let chars = 0;
  let start = 0;
  const flush = () => {
    if (chunk.length) out.push(stepsBlock(chunk, start));
    start += chunk.length;
    chunk = [];
    chars = 0;
  };
  for (const step of steps) {
    const length = step.text.length + step.substeps.reduce((n, x) => n + x.text.length + (x.code?.length ?? 0), 0) + (step.code?.length ?? 0);
    if (chunk.length > 0 && chars + length > STEP_CHARS_PER_BLOCK) flush();
    chunk.push(step);
    chars += length;
  }
  flush();
  return out;
}

/** Steps as one rich_text block: an ordered list from `first + 1`, sub-steps nested, code in between. */
function stepsBlock(steps: StepView[], first: number): RichTextBlock {
  const elements: (RichTextList | RichTextSection | { type: 'rich_text_preformatted'; elements: RichTextElement[] })[] = [];
  let open: RichTextList | undefined;
  const item = (elements: RichTextElement[]): RichTextSection => ({ type: 'rich_text_section', elements });
  steps.forEach((step, i) => {
    if (!open) {
      open = { type: 'rich_text_list', style: 'ordered', elements: [], ...(first + i > 0 ? { offset: first + i } : {}) };
      elements.push(open);
    }
    open.elements.push(item(richInline(truncate(step.text, LIMITS.sectionText))));
    const codes: string[] = [];
    if (step.substeps.length > 0) {
      elements.push({ type: 'rich_text_list', style: 'bullet', indent: 1, elements: step.substeps.map((s) => item(richInline(truncate(s.text, LIMITS.sectionText)))) });
      for (const s of step.substeps) if (s.code) codes.push(s.code);
      open = undefined;
    }
    if (step.code) codes.push(step.code);
    for (const code of codes) {
      elements.push({ type: 'rich_text_preformatted', elements: [{ type: 'text', text: truncate(code.trimEnd(), LIMITS.sectionText) }] });
      open = undefined;
    }
  });
  return { type: 'rich_text', elements: elements as RichTextBlock['elements'] };
}

const TABLE_CELL = 300;
const TABLE_ROWS = 15;

/** The cause table: Slack's table block, one row per cause with the first thing to do. */
function causeTable(m: MatchView, language: Language): KnownBlock {
  const s = STRINGS[language];
  const cell = (text: string) => ({ type: 'raw_text' as const, text: truncate(text.replace(/`|\*\*/gu, '').replace(/\[([^[\]]+)\]\([^()]+\)/gu, '$1'), TABLE_CELL) });
  return {
    type: 'table',
    column_settings: [{ is_wrapped: true }, { is_wrapped: true }],
    rows: [
      [cell(s.cause), cell(s.fix)],
      ...m.causes.map((c, i) => [cell(`${i + 1}. ${c.cause}`), cell(keyAction(m.causes, i)?.text ?? '')]),
    ],
  } as KnownBlock;
}

/** The cause list as a section, where a table isn't used. */
function causeSection(m: MatchView, language: Language): KnownBlock {
  const s = STRINGS[language];
  const lines = m.causes.map((c, i) => `${i + 1}. ${toMrkdwn(c.cause)}${i === m.focusCause ? ' ←' : ''}`);
  return section([`*${s.causes}*`, ...lines].join('\n'));
}

function matchBlocks(m: MatchView, language: Language, useTable: boolean): KnownBlock[] {
  const s = STRINGS[language];
  const label = m.kind === 'error' ? s.errorLabel : s.guideLabel;
  const codes = m.codes.length ? ` · ${m.codes.slice(0, 3).map((c) => `\`${escapeMrkdwn(c)}\``).join(', ')}` : '';
  const blocks: KnownBlock[] = [
    { type: 'header', text: { type: 'plain_text', text: truncate(m.title, LIMITS.headerText), emoji: false } },
    context(`${label} · ${s.product[m.product]}${codes}`),
  ];
  if (m.summary) blocks.push(section(toMrkdwn(m.summary)));
  if (m.causes.length > 0 && (m.focusCause !== undefined || m.causes.length > 1)) {
    blocks.push(useTable && m.causes.length > 1 && m.causes.length <= TABLE_ROWS ? causeTable(m, language) : causeSection(m, language));
  }
  if (m.steps.length > 0) {
    const focus = m.focusCause !== undefined ? m.causes[m.focusCause] : undefined;
    blocks.push(section(`*${escapeMrkdwn(focus ? s.steps(focus.cause.replace(/`/gu, '')) : s.guideSteps)}*`), ...stepsBlocks(m.steps));
  }
  for (const note of m.notes) blocks.push(context(`${escapeMrkdwn(s.notes)}: ${toMrkdwn(note)}`));
  blocks.push(context(`${escapeMrkdwn(s.product[m.product])} · ${escapeMrkdwn(s.confidence(Math.round(m.confidence * 100)))} · <${m.url}|${escapeMrkdwn(s.article)}>`));
  return blocks;
}

function buttons(answer: Answer): ActionsBlock | undefined {
  const s = STRINGS[answer.language];
  const elements: Button[] = [];
  const first = answer.matches[0];
  if (answer.matches.length === 1 && first && first.causes.length > 1) elements.push(button(s.buttonOtherCauses, ACTION.more, first.id));
  if (answer.matches.length > 0) {
    for (const l of LANGUAGES) if (l !== answer.language) elements.push(button(LANGUAGE_LABELS[l], ACTION.language(l), l));
    elements.push(button(`👍 ${s.feedbackYes}`, ACTION.feedbackUp, first?.id ?? ''), button(`👎 ${s.feedbackNo}`, ACTION.feedbackDown, first?.id ?? ''));
  }
  return elements.length ? { type: 'actions', block_id: 'answer_actions', elements } : undefined;
}

function suggestionBlocks(answer: Answer): KnownBlock[] {
  const s = STRINGS[answer.language];
  if (answer.suggestions.length === 0) return [];
  const lines = answer.suggestions.map((x, i) => `${i + 1}. ${escapeMrkdwn(x.title)} (${escapeMrkdwn(s.product[x.product])})`);
  return [
    section(lines.join('\n')),
    {
      type: 'actions',
      block_id: 'suggestions',
      elements: answer.suggestions.map((x, i) => button(`${i + 1}. ${x.title}`, ACTION.pick(i + 1), x.id)),
    },
    context(escapeMrkdwn(s.didYouMeanHint)),
  ];
}

function size(blocks: KnownBlock[]): number {
  return JSON.stringify(blocks).length;
}

/**
 * An answer as Slack messages: usually one; a long answer is split at block boundaries over at
 * most LIMITS.messages messages, and what still doesn't fit is replaced by a pointer to the
 * article. Every message has a plain-text fallback.
 */
export function renderSlack(answer: Answer): SlackMessage[] {
  const s = STRINGS[answer.language];
  const blocks: KnownBlock[] = [];
  if (answer.lead.length) blocks.push(section(answer.lead.map(toMrkdwn).join('\n')));
  answer.matches.forEach((m, i) => {
    if (i > 0) blocks.push({ type: 'divider' });
    // Slack shows one table per message; only the first match uses it.
    blocks.push(...matchBlocks(m, answer.language, i === 0));
  });
  blocks.push(...suggestionBlocks(answer));
  if (answer.tail.length) blocks.push(section(answer.tail.map(toMrkdwn).join('\n')));
  const actions = buttons(answer);

  const messages: KnownBlock[][] = [[]];
  const reserve = actions ? size([actions]) + 2 : 0;
  const url = answer.matches[0]?.url;
  const trimmed = section(`${escapeMrkdwn(s.trimmed)}${url ? ` <${url}|${escapeMrkdwn(s.article)}>` : ''}`);
  for (const candidate of blocks) {
    // A single block too big for any message (a step with a huge code block) points to the article.
    const block = size([candidate]) + reserve > LIMITS.blocksJson ? trimmed : candidate;
    let current = messages[messages.length - 1]!;
    const fits = current.length + 2 <= LIMITS.blocks && size([...current, block]) + reserve <= LIMITS.blocksJson;
    if (!fits && current.length > 0) {
      if (messages.length === LIMITS.messages) {
        current.push(trimmed);
        break;
      }
      current = [];
      messages.push(current);
    }
    current.push(block);
  }
  if (actions) messages[messages.length - 1]!.push(actions);

  return messages.map((m, i) => ({
    text: i === 0 ? truncate(answer.text, LIMITS.fallback) : truncate(answer.matches[0]?.title ?? answer.text, LIMITS.fallback),
    blocks: m,
  }));
}
