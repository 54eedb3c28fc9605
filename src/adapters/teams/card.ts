import { decodeAction, encodeAction, type Action } from '../../core/answer/actions.ts';
import type { Answer, Block, Button, CauseRow, Rich, Span, StepItem } from '../../core/answer/model.ts';
import { renderText } from '../../core/answer/render-text.ts';
import { flat, isLink } from '../../core/answer/rich.ts';
import { STRINGS } from '../../core/i18n/strings.ts';
import type { Language } from '../../core/knowledge/schema.ts';

/** Teams refuses messages over about 100 KB; a card stays well under. */
export const CARD_MAX_BYTES = 80 * 1024;
/** The key of a button's data in `activity.value`. */
export const ACTION_DATA_KEY = 'bt';
const FALLBACK_CHARS = 4000;
/** At most this many buttons in one row of actions: the limit the Adaptive Cards library validates a card against. */
const MAX_ACTIONS = 5;
const BUTTON_TITLE_CHARS = 256;
const TITLE_CHARS = 200;
/** Characters of a text block too big for the card, as it is shown cut short. */
const LIGHT_CHARS = 1000;
/** Room for what the measure of the body leaves out. */
const SIZE_MARGIN = 1024;
/** What a divider adds to the element after it. */
const SEPARATOR_BYTES = bytes({ separator: true, spacing: 'Large' });

export type CardElement = { type: string } & Record<string, unknown>;
/** Data a card's buttons send back besides their action. */
export type ButtonData = Record<string, string | number | boolean>;

export interface AdaptiveCardJson {
  type: 'AdaptiveCard';
  $schema: string;
  version: '1.5';
  lang: Language;
  msteams: { width: 'Full' };
  fallbackText: string;
  body: CardElement[];
  actions: CardElement[];
}

// ---- Text ----

/** Text shown as written: the characters CommonMark would read as formatting are escaped. */
function escapeMarkdown(text: string): string {
  return text
    .replace(/\\(?=[!-/:-@[-`{-~])/gu, '\\\\')
    .replace(/[*[\]`<>]/gu, '\\$&')
    .replace(/(?<![\p{L}\p{N}])_|_(?![\p{L}\p{N}])/gu, '\\_');
}

/** A line starting like a list item ("1. ", "- ") or a heading stays a line of text, numbered as written. */
function escapeLineStarts(text: string): string {
  return text.replace(/^([ \t]*\d+)([.)])/gmu, '$1\\$2').replace(/^([ \t]*)([-+#=])/gmu, '$1\\$2');
}

function plainText(text: string): string {
  return escapeLineStarts(escapeMarkdown(text));
}

/** Bold around the words only: `** x**` is not bold in Markdown. */
function bold(text: string): string {
  const core = text.trim();
  if (!core) return text;
  const start = text.indexOf(core);
  return `${text.slice(0, start)}**${core}**${text.slice(start + core.length)}`;
}

/** Teams cards have no inline code: code spans are shown as their plain text. */
function spanMarkdown(span: Span): string {
  if (isLink(span)) return `[${escapeMarkdown(span.text)}](${span.url})`;
  return span.style === 'bold' ? bold(escapeMarkdown(span.text)) : escapeMarkdown(span.text);
}

/** Spans as card Markdown; a line break becomes a paragraph break, since a single one collapses. */
function markdown(text: Rich): string {
  const lines = text.map(spanMarkdown).join('').split('\n');
  return escapeLineStarts(lines.map((l) => l.trim()).filter(Boolean).join('\n\n'));
}

function cut(text: string, max: number): string {
  if (text.length <= max) return text;
  const end = /[\uD800-\uDBFF]/u.test(text[max - 2] ?? '') ? max - 2 : max - 1;
  return `${text.slice(0, end)}…`;
}

// ---- Elements ----

function textBlock(text: string, extra: Record<string, unknown> = {}): CardElement {
  return { type: 'TextBlock', text, wrap: true, ...extra };
}

/** One line of code; leading blanks become no-break spaces so that the indentation shows. */
function codeLine(line: string): CardElement {
  const body = line.trimStart();
  const indent = line.slice(0, line.length - body.length).replace(/\t/gu, '    ').replace(/\s/gu, '\u00A0');
  return textBlock(body ? `${indent}${plainText(body)}` : ' ', { fontType: 'Monospace', spacing: 'None' });
}

/** Code in a monospace box, one TextBlock per line: Teams cards have no code blocks. */
function codeBox(code: string): CardElement {
  return { type: 'Container', style: 'emphasis', spacing: 'Small', items: code.split(/\r?\n/u).map(codeLine) };
}

/** A label ("3.", "b)") in its own column beside its content, so that Markdown can't renumber it. */
function labelled(label: string, items: CardElement[], spacing?: string): CardElement {
  return {
    type: 'ColumnSet',
    ...(spacing ? { spacing } : {}),
    columns: [
      { type: 'Column', width: 'auto', items: [textBlock(plainText(label))] },
      { type: 'Column', width: 'stretch', items },
    ],
  };
}

/** A step's text, its sub-steps lettered and indented, and its code. */
function stepContent(step: StepItem): CardElement[] {
  const substeps = step.substeps.map((sub, i) =>
    labelled(`${String.fromCharCode(97 + i)})`, [textBlock(markdown(sub.text)), ...(sub.code ? [codeBox(sub.code)] : [])], 'Small'),
  );
  return [textBlock(markdown(step.text)), ...substeps, ...(step.code ? [codeBox(step.code)] : [])];
}

function cell(items: CardElement[]): CardElement {
  return { type: 'TableCell', items: items.length ? items : [textBlock(' ')] };
}

/** A cause row: the number written "1 ·" (a cell starting "1. " becomes a list), the mark, the whole fix. */
function causeRow(row: CauseRow, marks: { current: string; tried: string }, light: boolean): CardElement {
  const current = row.state === 'current';
  const mark = row.state ? [textBlock(plainText(marks[row.state]), { isSubtle: true, spacing: 'None' })] : [];
  const fix = row.fix ? (light ? [textBlock(markdown(row.fix.text))] : stepContent(row.fix)) : [];
  return {
    type: 'TableRow',
    ...(current ? { style: 'accent' } : {}),
    cells: [cell([textBlock(`${row.n} · ${markdown(row.cause)}`, current ? { weight: 'Bolder' } : {}), ...mark]), cell(fix)],
  };
}

/** The cause table; `light` keeps each fix's own words without its sub-steps and code, for a card that is too big. */
function causeTable(block: Extract<Block, { type: 'causes' }>, light: boolean): CardElement {
  return {
    type: 'Table',
    gridStyle: 'accent',
    firstRowAsHeaders: true,
    columns: [{ width: 2 }, { width: 3 }],
    rows: [
      { type: 'TableRow', cells: block.columns.map((c) => cell([textBlock(plainText(c), { weight: 'Bolder' })])) },
      ...block.rows.map((row) => causeRow(row, block.marks, light)),
    ],
  };
}

function linkText(label: string, url: string): string {
  return `[${escapeMarkdown(label)}](${url})`;
}

// ---- Blocks ----

/**
 * What the size limit works with: a block's elements, or one step of a steps block. `detail` units
 * (steps, code) are the first to go; a `light` version stands in when the full one doesn't fit.
 */
interface Unit {
  elements: CardElement[];
  detail: boolean;
  light?: CardElement[];
  divider?: boolean;
}

/** A text block; its light version is the plain text cut short, for text too big for any card. */
function textUnit(prefix: string, text: Rich, extra: Record<string, unknown> = {}): Unit[] {
  return [{ elements: [textBlock(`${prefix}${markdown(text)}`, extra)], light: [textBlock(`${prefix}${plainText(cut(flat(text), LIGHT_CHARS))}`, extra)], detail: false }];
}

function blockUnits(block: Block): Unit[] {
  const unit = (...elements: CardElement[]): Unit[] => [{ elements, detail: false }];
  switch (block.type) {
    case 'notice':
    case 'paragraph':
      return textUnit('', block.text);
    case 'heading':
      return textUnit('', block.text, block.level === 1 ? { size: 'Large', weight: 'Bolder', style: 'heading' } : { weight: 'Bolder', spacing: 'Medium' });
    case 'meta':
      return unit(textBlock(plainText([...block.items, ...(block.codes.length ? [block.codes.join(', ')] : [])].join(' · ')), { isSubtle: true, spacing: 'None' }));
    case 'causes':
      return [{ elements: [causeTable(block, false)], light: [causeTable(block, true)], detail: false }];
    case 'steps':
      return block.items.map((step, i) => ({ elements: [labelled(`${block.start + i}.`, stepContent(step))], detail: true }));
    case 'code':
      return [{ elements: [codeBox(block.code)], detail: true }];
    case 'note':
      return textUnit(`${plainText(block.label)}: `, block.text, { isSubtle: true });
    case 'link':
      return unit(textBlock(linkText(block.label, block.url)));
    case 'choices':
      return unit(...block.items.map((x) => labelled(`${x.n}.`, [textBlock(plainText(x.title)), textBlock(plainText(x.product), { isSubtle: true, spacing: 'None' })])));
    case 'divider':
      return [{ elements: [], detail: false, divider: true }];
  }
}

/** The chosen elements of the units in order; a divider becomes a separator on what follows it. */
function assemble(units: Unit[], chosen: (unit: Unit) => CardElement[] | undefined): CardElement[] {
  const out: CardElement[] = [];
  let separate = false;
  for (const unit of units) {
    if (unit.divider) separate = out.length > 0;
    const elements = [...(chosen(unit) ?? [])];
    if (separate && elements[0]) {
      elements[0] = { ...elements[0], separator: true, spacing: 'Large' };
      separate = false;
    }
    out.push(...elements);
  }
  return out;
}

// ---- Buttons ----

/** What a button sends back: its action, and the card's own `buttonData`. */
function submit(button: Button, extra: ButtonData): CardElement {
  return { type: 'Action.Submit', title: cut(button.label, BUTTON_TITLE_CHARS), data: { ...extra, [ACTION_DATA_KEY]: encodeAction(button.action) } };
}

/** The last MAX_ACTIONS buttons as the card's actions, any before them in rows at the end of the body: the order stays. */
function placeButtons(buttons: Button[], extra: ButtonData): { actions: CardElement[]; sets: CardElement[] } {
  const submits = buttons.map((b) => submit(b, extra));
  const overflow = submits.slice(0, Math.max(0, submits.length - MAX_ACTIONS));
  const sets: CardElement[] = [];
  for (let i = 0; i < overflow.length; i += MAX_ACTIONS) sets.push({ type: 'ActionSet', actions: overflow.slice(i, i + MAX_ACTIONS) });
  return { actions: submits.slice(overflow.length), sets };
}

/** The action a card button's `activity.value` asks for; undefined for anything not of ours. */
export function actionFromValue(value: unknown): Action | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  return decodeAction((value as Record<string, unknown>)[ACTION_DATA_KEY]);
}

function buttonAction(element: unknown): Action | undefined {
  const e = element as CardElement;
  return e.type === 'Action.Submit' ? actionFromValue(e.data) : undefined;
}

/** Removes the card's buttons that `spent` picks, and rows of buttons left empty; returns how many went. */
function removeButtons(card: AdaptiveCardJson, spent: (action: Action) => boolean): number {
  let removed = 0;
  const keep = (list: CardElement[]) =>
    list.filter((e) => {
      const action = buttonAction(e);
      const gone = action !== undefined && spent(action);
      if (gone) removed++;
      return !gone;
    });
  card.actions = keep(card.actions);
  card.body = card.body
    .map((e) => (e.type === 'ActionSet' ? { ...e, actions: keep(e.actions as CardElement[]) } : e))
    .filter((e) => e.type !== 'ActionSet' || (e.actions as CardElement[]).length > 0);
  return removed;
}

/**
 * The card as it should look after one of its buttons was clicked: feedback buttons give way to a
 * thank-you line, "other causes" and "did you mean" buttons go once used, others stay.
 */
export function spendAction(card: AdaptiveCardJson, action: Action): AdaptiveCardJson {
  const copy = structuredClone(card);
  if (action.type === 'feedback') {
    if (removeButtons(copy, (a) => a.type === 'feedback') > 0) copy.body.push(textBlock(plainText(STRINGS[action.language].feedbackThanks), { isSubtle: true }));
  } else if (action.type === 'more_causes' || action.type === 'pick') {
    const data = encodeAction(action);
    removeButtons(copy, (a) => encodeAction(a) === data);
  }
  return copy;
}

// ---- Card ----

function bytes(value: unknown): number {
  return Buffer.byteLength(JSON.stringify(value));
}

function card(answer: Answer, body: CardElement[], actions: CardElement[]): AdaptiveCardJson {
  return {
    type: 'AdaptiveCard',
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version: '1.5',
    lang: answer.language,
    msteams: { width: 'Full' },
    fallbackText: cut(renderText(answer), FALLBACK_CHARS),
    body,
    actions,
  };
}

/** "The rest is in the article", with the link of the answer's first link block. */
function trimmedNotice(answer: Answer): CardElement {
  const link = answer.blocks.find((b) => b.type === 'link');
  const url = link && link.url.length <= 2000 ? ` ${linkText(link.label, link.url)}` : '';
  return textBlock(`${plainText(STRINGS[answer.language].trimmed)}${url}`);
}

/**
 * The units that fit in `budget` bytes: first every block that isn't a detail (or its light
 * version), then steps and code in order until one doesn't fit.
 */
function fitUnits(units: Unit[], budget: number): Map<Unit, CardElement[]> {
  const chosen = new Map<Unit, CardElement[]>();
  let left = budget;
  const take = (unit: Unit, elements: CardElement[] | undefined): boolean => {
    const size = (elements?.reduce((n, e) => n + bytes(e) + 1, 0) ?? Infinity) + (unit.divider ? SEPARATOR_BYTES : 0);
    if (!elements || size > left) return false;
    chosen.set(unit, elements);
    left -= size;
    return true;
  };
  for (const unit of units) if (!unit.detail && !take(unit, unit.elements)) take(unit, unit.light);
  for (const unit of units) if (unit.detail && !take(unit, unit.elements)) break;
  return chosen;
}

/** Title, trimmed notice and link, with as many buttons as fit: what is sent when nothing else fits. */
function minimalCard(answer: Answer, sets: CardElement[], actions: CardElement[]): AdaptiveCardJson {
  const title = answer.blocks.find((b): b is Extract<Block, { type: 'heading' }> => b.type === 'heading' && b.level === 1);
  const head = title ? [textBlock(plainText(cut(flat(title.text), TITLE_CHARS)), { size: 'Large', weight: 'Bolder', style: 'heading' })] : [];
  const result = card(answer, [...head, trimmedNotice(answer), ...sets], [...actions]);
  while (bytes(result) > CARD_MAX_BYTES && dropLastButton(result));
  if (bytes(result) > CARD_MAX_BYTES) result.body = [...head, textBlock(plainText(STRINGS[answer.language].trimmed))];
  return result;
}

function dropLastButton(card: AdaptiveCardJson): boolean {
  if (card.actions.pop()) return true;
  const set = card.body.map((e) => e.type).lastIndexOf('ActionSet');
  if (set < 0) return false;
  const rest = (card.body[set]!.actions as CardElement[]).slice(0, -1);
  card.body[set] = { ...card.body[set]!, actions: rest };
  if (rest.length === 0) card.body.splice(set, 1);
  return true;
}

export interface CardOptions {
  /** Sent back with every button of the card, next to its action (the action's key can't be overridden). */
  buttonData?: ButtonData;
}

/**
 * An answer as an Adaptive Card 1.5, every block in order. A card over CARD_MAX_BYTES keeps what
 * fits, steps and code first to go, and points to the article; it never goes over.
 */
export function renderCard(answer: Answer, options: CardOptions = {}): AdaptiveCardJson {
  const units = answer.blocks.flatMap(blockUnits);
  const { actions, sets } = placeButtons(answer.buttons, options.buttonData ?? {});
  const full = card(answer, [...assemble(units, (u) => u.elements), ...sets], actions);
  if (bytes(full) <= CARD_MAX_BYTES) return full;

  const notice = trimmedNotice(answer);
  const budget = CARD_MAX_BYTES - bytes(card(answer, [notice, ...sets], actions)) - SIZE_MARGIN;
  const chosen = fitUnits(units, budget);
  const trimmed = card(answer, [...assemble(units, (u) => chosen.get(u)), notice, ...sets], actions);
  return bytes(trimmed) <= CARD_MAX_BYTES ? trimmed : minimalCard(answer, sets, actions);
}
