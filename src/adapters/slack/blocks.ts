import type { ActionsBlock, Button as SlackButton, KnownBlock, RichTextBlock, RichTextElement, RichTextList, RichTextSection } from '@slack/types';
import { decodeAction, encodeAction, type Action } from '../../core/answer/actions.ts';
import type { Answer, Block, Button, CauseRow, Rich, StepItem } from '../../core/answer/model.ts';
import { renderText } from '../../core/answer/render-text.ts';
import { flat, isLink, stepLength } from '../../core/answer/rich.ts';
import { STRINGS } from '../../core/i18n/strings.ts';

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

/** Every button's action id starts so; its value is the encoded action. */
export const ACTION_PATTERN = /^bt_/u;
const BLOCK_ID = { choices: 'bt_choices', answer: 'bt_answer', feedback: 'bt_feedback' } as const;
const FEEDBACK_DONE = 'bt_feedback_done';

/** The action a clicked button carries; undefined for a value that isn't ours. */
export function actionOf(value: unknown): Action | undefined {
  return decodeAction(value);
}

export interface SlackMessage {
  text: string;
  blocks: KnownBlock[];
}

/** `&`, `<` and `>` are Slack's control characters in mrkdwn. */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/gu, '&amp;').replace(/</gu, '&lt;').replace(/>/gu, '&gt;');
}

/** Spans as Slack mrkdwn. */
export function mrkdwn(text: Rich): string {
  return text
    .map((s) => {
      if (isLink(s)) return `<${s.url}|${escapeMrkdwn(s.text)}>`;
      if (s.style === 'code') return `\`${escapeMrkdwn(s.text)}\``;
      if (s.style === 'bold') return `*${escapeMrkdwn(s.text)}*`;
      return escapeMrkdwn(s.text);
    })
    .join('');
}

function cut(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

function richInline(text: Rich): RichTextElement[] {
  return text.map((s): RichTextElement => {
    if (isLink(s)) return { type: 'link', url: s.url, text: s.text };
    if (s.style === 'code') return { type: 'text', text: s.text, style: { code: true } };
    if (s.style === 'bold') return { type: 'text', text: s.text, style: { bold: true } };
    return { type: 'text', text: s.text };
  });
}

function section(text: string): KnownBlock {
  return { type: 'section', text: { type: 'mrkdwn', text: cut(text, LIMITS.sectionText) } };
}

function context(text: string): KnownBlock {
  return { type: 'context', elements: [{ type: 'mrkdwn', text: cut(text, LIMITS.sectionText) }] };
}

const item = (elements: RichTextElement[]): RichTextSection => ({ type: 'rich_text_section', elements });
type RichElement = RichTextList | RichTextSection | { type: 'rich_text_preformatted'; elements: RichTextElement[] };

function preformatted(code: string): RichElement {
  return { type: 'rich_text_preformatted', elements: [{ type: 'text', text: cut(code, LIMITS.sectionText) }] };
}

/** Characters of step text per rich_text block, so that a long list splits into several blocks. */
const STEP_CHARS_PER_BLOCK = 2500;

/** Steps as one rich_text block: an ordered list numbered from `first`, sub-steps nested, code in between. */
function stepsBlock(steps: StepItem[], first: number): RichTextBlock {
  const elements: RichElement[] = [];
  let open: RichTextList | undefined;
  steps.forEach((step, i) => {
    if (!open) {
      open = { type: 'rich_text_list', style: 'ordered', elements: [], ...(first + i > 1 ? { offset: first + i - 1 } : {}) };
      elements.push(open);
    }
    open.elements.push(item(richInline(step.text)));
    for (const sub of step.substeps) {
      elements.push({ type: 'rich_text_list', style: 'bullet', indent: 1, elements: [item(richInline(sub.text))] });
      if (sub.code) elements.push(preformatted(sub.code));
      open = undefined;
    }
    if (step.code) {
      elements.push(preformatted(step.code));
      open = undefined;
    }
  });
  return { type: 'rich_text', elements: elements as RichTextBlock['elements'] };
}

/** Numbered steps as rich_text blocks, numbering carried on when a long list is split. */
export function stepsBlocks(steps: StepItem[], start: number): RichTextBlock[] {
  const out: RichTextBlock[] = [];
  let chunk: StepItem[] = [];
  let chars = 0;
  let first = start;
  const flush = () => {
    if (chunk.length) out.push(stepsBlock(chunk, first));
    first += chunk.length;
    chunk = [];
    chars = 0;
  };
  for (const step of steps) {
    const length = stepLength(step);
    if (chunk.length > 0 && chars + length > STEP_CHARS_PER_BLOCK) flush();
    chunk.push(step);
    chars += length;
  }
  flush();
  return out;
}

const TABLE_CELL = 1200;
const TABLE_ROWS = 15;

function causeLabel(row: CauseRow, marks: { current: string; tried: string }): string {
  return `${row.n}. ${flat(row.cause)}${row.state ? ` (${marks[row.state]})` : ''}`;
}

/** The fix as one rich_text cell: the action, its sub-steps, its code. */
function fixCell(fix: StepItem | undefined): RichTextBlock {
  if (!fix) return { type: 'rich_text', elements: [item([{ type: 'text', text: ' ' }])] };
  const elements: RichElement[] = [item(richInline(fix.text))];
  if (fix.substeps.length) elements.push({ type: 'rich_text_list', style: 'bullet', elements: fix.substeps.map((s) => item(richInline(s.text))) });
  for (const code of [...fix.substeps.flatMap((s) => (s.code ? [s.code] : [])), ...(fix.code ? [fix.code] : [])]) elements.push(preformatted(cut(code, TABLE_CELL)));
  return { type: 'rich_text', elements: elements as RichTextBlock['elements'] };
}

/** The cause table: Slack's table block, one row per cause with its fix, the current cause marked. */
function causeTable(block: Extract<Block, { type: 'causes' }>): KnownBlock {
  const raw = (text: string) => ({ type: 'raw_text' as const, text: cut(text, TABLE_CELL) });
  return {
    type: 'table',
    column_settings: [{ is_wrapped: true }, { is_wrapped: true }],
    rows: [[raw(block.columns[0]), raw(block.columns[1])], ...block.rows.map((r) => [raw(causeLabel(r, block.marks)), fixCell(r.fix)])],
  } as unknown as KnownBlock;
}

/** The cause list as a section, where a table can't be used (a second table in one message). */
function causeSection(block: Extract<Block, { type: 'causes' }>, title: string): KnownBlock {
  const lines = block.rows.map((r) => `${r.n}. ${mrkdwn(r.cause)}${r.state ? ` _(${escapeMrkdwn(block.marks[r.state])})_` : ''}`);
  return section([`*${escapeMrkdwn(title)}*`, ...lines].join('\n'));
}

function toSlack(block: Block, answer: Answer, tables: { used: boolean }): KnownBlock[] {
  switch (block.type) {
    case 'notice':
    case 'paragraph':
      return [section(mrkdwn(block.text))];
    case 'heading':
      return block.level === 1
        ? [{ type: 'header', text: { type: 'plain_text', text: cut(flat(block.text), LIMITS.headerText), emoji: false } }]
        : [section(`*${escapeMrkdwn(flat(block.text))}*`)];
    case 'meta':
      return [context([...block.items.map(escapeMrkdwn), ...(block.codes.length ? [block.codes.map((c) => `\`${escapeMrkdwn(c)}\``).join(', ')] : [])].join(' · '))];
    case 'causes':
      // Slack shows one table per message; a later cause list is a section.
      if (!tables.used && block.rows.length <= TABLE_ROWS) {
        tables.used = true;
        return [causeTable(block)];
      }
      return [causeSection(block, STRINGS[answer.language].causes)];
    case 'steps':
      return stepsBlocks(block.items, block.start);
    case 'code':
      return [{ type: 'rich_text', elements: [preformatted(block.code)] } as RichTextBlock];
    case 'note':
      return [context(`${escapeMrkdwn(block.label)}: ${mrkdwn(block.text)}`)];
    case 'link':
      return [context(`<${block.url}|${escapeMrkdwn(block.label)}>`)];
    case 'choices':
      return [section(block.items.map((x) => `${x.n}. ${escapeMrkdwn(x.title)} (${escapeMrkdwn(x.product)})`).join('\n'))];
    case 'divider':
      return [{ type: 'divider' }];
  }
}

function slackButton(button: Button, index: number): SlackButton {
  return {
    type: 'button',
    text: { type: 'plain_text', text: cut(button.label, LIMITS.buttonText), emoji: true },
    action_id: `bt_${button.action.type}_${index}`,
    value: encodeAction(button.action),
  };
}

/** The buttons by group: candidates first, then the answer's, then feedback. */
function actionBlocks(buttons: Button[]): ActionsBlock[] {
  const out: ActionsBlock[] = [];
  for (const group of ['choices', 'answer', 'feedback'] as const) {
    const elements = buttons.map((b, i) => ({ b, i })).filter(({ b }) => b.group === group).map(({ b, i }) => slackButton(b, i));
    if (elements.length) out.push({ type: 'actions', block_id: BLOCK_ID[group], elements: elements.slice(0, 25) });
  }
  return out;
}

function size(blocks: KnownBlock[]): number {
  return JSON.stringify(blocks).length;
}

/**
 * An answer as Slack messages: usually one; a long answer is split at block boundaries over at
 * most LIMITS.messages messages, and what still doesn't fit is replaced by a pointer to the
 * article. Every message has a plain-text fallback; the buttons go under the last message.
 */
export function renderSlack(answer: Answer): SlackMessage[] {
  const s = STRINGS[answer.language];
  const tables = { used: false };
  const messages: KnownBlock[][] = [[]];
  const actions = actionBlocks(answer.buttons);
  const reserve = actions.length ? size(actions) + 2 : 0;
  const url = answer.blocks.find((b) => b.type === 'link')?.url;
  const trimmed = section(`${escapeMrkdwn(s.trimmed)}${url ? ` <${url}|${escapeMrkdwn(s.article)}>` : ''}`);
  let full = false;
  for (const source of answer.blocks) {
    for (const candidate of toSlack(source, answer, tables)) {
      // A single block too big for any message (a step with a huge code block) points to the article.
      const block = size([candidate]) + reserve > LIMITS.blocksJson ? trimmed : candidate;
      let current = messages[messages.length - 1]!;
      const fits = current.length + 1 + actions.length <= LIMITS.blocks && size([...current, block]) + reserve <= LIMITS.blocksJson;
      if (!fits && current.length > 0) {
        if (messages.length === LIMITS.messages) {
          current.push(trimmed);
          full = true;
          break;
        }
        current = [];
        messages.push(current);
        tables.used = block.type === 'table';
      }
      current.push(block);
    }
    if (full) break;
  }
  messages[messages.length - 1]!.push(...actions);
  const text = renderText(answer);
  const title = answer.matches[0]?.title ?? text;
  return messages.map((m, i) => ({ text: cut(i === 0 ? text : title, LIMITS.fallback), blocks: m }));
}

/**
 * A message's blocks after one of its buttons was used: 👍/👎 give way to a thanks line (so
 * feedback is given once), "Other causes" and a picked candidate disappear; the rest stays.
 */
export function spendButton(blocks: KnownBlock[], actionId: string, action: Action): KnownBlock[] {
  const out: KnownBlock[] = [];
  for (const block of blocks) {
    if (block.type !== 'actions') {
      out.push(block);
      continue;
    }
    if (action.type === 'feedback' && block.block_id === BLOCK_ID.feedback) {
      out.push({ ...context(escapeMrkdwn(STRINGS[action.language].feedbackThanks)), block_id: FEEDBACK_DONE });
      continue;
    }
    const spent = action.type === 'more_causes' || action.type === 'pick';
    const elements = block.elements.filter((e) => !(spent && 'action_id' in e && e.action_id === actionId));
    if (elements.length) out.push({ ...block, elements });
  }
  return out;
}
