import { createRequire } from 'node:module';
import type * as AdaptiveCardsModule from 'adaptivecards';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  ACTION_DATA_KEY,
  CARD_MAX_BYTES,
  actionFromValue,
  renderCard,
  spendAction,
  type AdaptiveCardJson,
  type CardElement,
} from '../src/adapters/teams/card.ts';
import { encodeAction, type Action } from '../src/core/answer/actions.ts';
import type { Answer, Block, StepItem } from '../src/core/answer/model.ts';
import { renderText } from '../src/core/answer/render-text.ts';
import { STRINGS } from '../src/core/i18n/strings.ts';
import { sharedBot } from './helpers/bot.ts';

// The package's `lib` build has extensionless ESM imports that Node can't load; its UMD bundle can.
const AdaptiveCards = createRequire(import.meta.url)('adaptivecards/dist/adaptivecards.js') as typeof AdaptiveCardsModule;

const VAULT = 'Invalid vault credentials provided. The file is either corrupted or does not have the latest credentials associated with recovery service. (ID: 34513)';
const VSS = 'Snapshot operation failed because VSS writers were in a bad state.';
const ARTICLE = 'https://learn.microsoft.com/en-us/azure/backup/backup-azure-mars-troubleshoot#x';

beforeAll(() => {
  sharedBot();
}, 60_000);

let threads = 0;
/** A conversation in a thread of its own: each message's answer in turn. */
async function conversation(...texts: string[]): Promise<Answer[]> {
  const thread = `teams-card-${++threads}`;
  const answers: Answer[] = [];
  for (const text of texts) answers.push(await sharedBot().handle({ text, thread, user: 'u' }));
  return answers;
}

async function cardFor(...texts: string[]): Promise<AdaptiveCardJson> {
  const answers = await conversation(...texts);
  return renderCard(answers.at(-1)!);
}

// ---- Reading a card as Teams shows it ----

function children(e: CardElement): CardElement[] {
  return ['body', 'items', 'columns', 'rows', 'cells', 'actions'].flatMap((k) => (Array.isArray(e[k]) ? (e[k] as CardElement[]) : []));
}

function all(e: CardElement | AdaptiveCardJson, type?: string): CardElement[] {
  const out: CardElement[] = [];
  const visit = (x: CardElement) => {
    if (!type || x.type === type) out.push(x);
    children(x).forEach(visit);
  };
  visit(e as unknown as CardElement);
  return out;
}

/** What a TextBlock's Markdown shows: escapes, bold marks and link targets gone. */
function visible(text: unknown): string {
  return String(text)
    .replace(/\[([^\]]*)\]\([^)]*\)/gu, '$1')
    .replace(/\*\*/gu, '')
    .replace(/\\([!-/:-@[-`{-~])/gu, '$1');
}

function texts(e: CardElement | AdaptiveCardJson): string[] {
  return all(e, 'TextBlock').map((t) => visible(t.text));
}

function monospace(e: CardElement): string[] {
  return all(e, 'TextBlock').filter((t) => t.fontType === 'Monospace').map((t) => visible(t.text));
}

interface Row {
  style: unknown;
  cause: CardElement;
  fix: CardElement;
}

/** The cause table's rows below the header. */
function causeRows(card: AdaptiveCardJson): Row[] {
  const [table, ...others] = all(card, 'Table');
  expect(others).toHaveLength(0);
  return (table!.rows as CardElement[]).slice(1).map((r) => {
    const [cause, fix] = r.cells as CardElement[];
    return { style: r.style, cause: cause!, fix: fix! };
  });
}

/** The numbers shown in front of the numbered steps outside the table, in order. */
function stepNumbers(card: AdaptiveCardJson): string[] {
  return card.body
    .filter((e) => e.type === 'ColumnSet')
    .map((e) => visible(((e.columns as CardElement[])[0]!.items as CardElement[])[0]!.text));
}

function buttons(card: AdaptiveCardJson): CardElement[] {
  return all(card).filter((e) => e.type === 'Action.Submit');
}

function decoded(card: AdaptiveCardJson): Action[] {
  return buttons(card).map((b) => actionFromValue(b.data)!);
}

function bytes(card: AdaptiveCardJson): number {
  return Buffer.byteLength(JSON.stringify(card));
}

/** Parse and validation messages of Microsoft's own Adaptive Cards library for a card. */
function cardIssues(json: AdaptiveCardJson): string[] {
  // The library checks `lang` with a global regular expression, whose lastIndex survives between calls.
  (AdaptiveCards.CardElement.langProperty.regEx as RegExp).lastIndex = 0;
  const card = new AdaptiveCards.AdaptiveCard();
  const context = new AdaptiveCards.SerializationContext();
  card.parse(json, context);
  const parsed = Array.from({ length: context.eventCount }, (_, i) => context.getEventAt(i).message);
  return [...parsed, ...card.validateProperties().validationEvents.map((e) => e.message)];
}

// ---- A made-up answer past every limit ----

const step = (i: number, code = ''): StepItem => ({
  text: [{ text: `Step text ${i} ` }, { text: 'C:\\Program Files', style: 'code' }, { text: ' and **not bold** ' }],
  substeps: [{ text: [{ text: `sub ${i} `.repeat(200) }], code: 'reg add HKLM\\x /v y\n'.repeat(50) }],
  ...(code ? { code } : {}),
});

function madeUp(blocks: Block[]): Answer {
  const entries = ['mars/x'];
  return {
    language: 'en',
    kind: 'diagnose',
    matches: [],
    suggestions: [],
    blocks,
    buttons: [
      { label: 'Other causes', group: 'answer', action: { type: 'more_causes', language: 'en', entry: 'mars/x', cause: 0 } },
      { label: '👍 This helped', group: 'feedback', action: { type: 'feedback', language: 'en', entries, value: 'up' } },
      { label: "👎 This didn't help", group: 'feedback', action: { type: 'feedback', language: 'en', entries, value: 'down' } },
    ],
    silent: false,
    sure: true,
  };
}

function hugeAnswer(): Answer {
  return madeUp([
    { type: 'heading', level: 1, text: [{ text: 'A very long answer' }] },
    { type: 'meta', items: ['Error', 'MARS agent'], codes: ['34506'] },
    { type: 'paragraph', text: [{ text: 'Enormous paragraph. '.repeat(15_000) }] },
    {
      type: 'causes',
      columns: ['Cause', 'What to do'],
      marks: { current: 'steps below', tried: 'tried' },
      rows: Array.from({ length: 12 }, (_, i) => ({ n: i + 1, cause: [{ text: `Cause ${i + 1}` }], fix: step(i, 'x\n'.repeat(2000)), ...(i === 0 ? { state: 'current' as const } : {}) })),
    },
    { type: 'steps', start: 1, items: Array.from({ length: 80 }, (_, i) => step(i + 1)) },
    { type: 'code', code: Array.from({ length: 20_000 }, (_, i) => `line ${i} of the enormous code block`).join('\n') },
    { type: 'code', code: 'y'.repeat(300_000) },
    { type: 'divider' },
    { type: 'note', label: 'Note', text: [{ text: 'A note after the code.' }] },
    { type: 'link', label: 'Article', url: ARTICLE },
  ]);
}

// ---- Tests ----

describe('Teams card: code and steps', () => {
  it('shows the VSS restart commands as two monospace lines in the cause table, and never a Markdown fence', async () => {
    const card = await cardFor(VSS);
    const rows = causeRows(card);
    expect(rows).toHaveLength(3);
    const code = monospace(rows[1]!.fix);
    expect(code).toEqual(['net stop serviceName', 'net start serviceName']);
    const box = all(rows[1]!.fix, 'Container').find((c) => c.style === 'emphasis');
    expect(box).toBeDefined();
    for (const t of all(card, 'TextBlock')) {
      expect(String(t.text)).not.toContain('```');
      expect(t.wrap).toBe(true);
    }
  });

  it('shows the same commands as monospace lines in the steps of cause 2 after "it still fails"', async () => {
    const card = await cardFor(VSS, 'it still fails');
    const steps = card.body.filter((e) => e.type === 'ColumnSet');
    expect(steps.flatMap((s) => monospace(s))).toEqual(expect.arrayContaining(['net stop serviceName', 'net start serviceName']));
    for (const t of all(card, 'TextBlock').filter((x) => x.fontType === 'Monospace')) expect(String(t.text)).not.toContain('\n');
    expect(texts(card).join(' ')).toContain('vssadmin list writers');
  });

  it('shows the whole antivirus fix in the table, its sub-steps lettered', async () => {
    const rows = causeRows(await cardFor(VAULT));
    expect(rows).toHaveLength(3);
    const fix = texts(rows[2]!.fix);
    expect(fix[0]).toBe('If antivirus software is installed on the server, add exclusions to its scan for:');
    expect(fix).toContain('cbengine.exe');
    expect(fix).toEqual(expect.arrayContaining(['a)', 'b)']));
    expect(fix.join(' ')).toContain('<InstallPath>\\Scratch\\*');
  });

  it('never starts a table cell TextBlock with a number that Markdown would turn into a list', async () => {
    for (const card of [await cardFor(VAULT), await cardFor(VSS)]) {
      const cellTexts = all(all(card, 'Table')[0]!, 'TextBlock').map((t) => String(t.text));
      expect(cellTexts.length).toBeGreaterThan(6);
      for (const text of cellTexts) expect(text).not.toMatch(/^\s*\d+[.)]\s/u);
      expect(causeRows(card).map((r) => visible((r.cause.items as CardElement[])[0]!.text).split(' ')[0])).toEqual(['1', '2', '3']);
    }
  });

  it('numbers the steps with their real numbers, each in a column Markdown cannot renumber', async () => {
    const card = await cardFor(VAULT);
    expect(stepNumbers(card)).toEqual(['1.', '2.', '3.']);
    for (const step of card.body.filter((e) => e.type === 'ColumnSet')) {
      expect(((step.columns as CardElement[])[0]!.items as CardElement[])[0]!.text).toMatch(/^\d+\\\.$/u);
    }
    const second = card.body.filter((e) => e.type === 'ColumnSet')[1]!;
    expect(texts(second)).toEqual(expect.arrayContaining(['a)', 'b)']));
  });

  it('numbers a quoted step with its own number', async () => {
    const card = await cardFor(VAULT, 'it still fails', 'what does step 2 mean?');
    expect(stepNumbers(card)).toEqual(['2.']);
    expect(texts(card).join(' ')).toContain('Step 2 of 5');
  });

  it('gives every block of a follow-up answer its own element', async () => {
    const [, answer] = await conversation(VSS, 'what does step 2 mean?');
    const card = renderCard(answer!);
    const top = card.body.filter((e) => e.type === 'TextBlock').map((t) => String(t.text));
    expect(top.length).toBeGreaterThanOrEqual(answer!.blocks.filter((b) => b.type !== 'steps').length);
    for (const text of all(card, 'TextBlock').map((t) => String(t.text))) expect(text).not.toMatch(/[^\n]\n[^\n]/u);
  });

  it('keeps code line breaks, blank lines and indentation in a code block', () => {
    const card = renderCard(madeUp([{ type: 'code', code: 'if (x) {\n    run *.exe\n\n}' }]));
    expect(monospace(card.body[0]!)).toEqual(['if (x) {', '\u00A0\u00A0\u00A0\u00A0run *.exe', ' ', '}']);
  });

  it('shows inline code, bold and links as Teams Markdown, with special characters escaped', () => {
    const card = renderCard(
      madeUp([{ type: 'paragraph', text: [{ text: 'Allow ' }, { text: '*.microsoft.com', style: 'code' }, { text: ', ' }, { text: '*.windows.net', style: 'code' }, { text: ' and ' }, { text: 'Register Server', style: 'bold' }, { text: ' per ' }, { text: 'the docs', url: ARTICLE }] }]),
    );
    expect(card.body[0]!.text).toBe(`Allow \\*.microsoft.com, \\*.windows.net and **Register Server** per [the docs](${ARTICLE})`);
  });
});

describe('Teams card: the cause table marks', () => {
  it('marks the cause whose steps show, and then the tried one after "it still fails"', async () => {
    const [first, second] = await conversation(VAULT, 'it still fails');
    const before = causeRows(renderCard(first!));
    expect(before.map((r) => r.style)).toEqual(['accent', undefined, undefined]);
    expect(texts(before[0]!.cause)).toContain('steps below');

    const after = causeRows(renderCard(second!));
    expect(after.map((r) => r.style)).toEqual([undefined, 'accent', undefined]);
    expect(texts(after[0]!.cause)).toContain('tried');
    expect(texts(after[1]!.cause)).toContain('steps below');
    expect(texts(after[2]!.cause)).toHaveLength(1);
  });
});

describe('Teams card: the blocks', () => {
  it('renders the title, small print, notes, link and notices of a real answer in the order of its blocks', async () => {
    const [answer] = await conversation(VAULT);
    const card = renderCard(answer!);
    const [title, meta] = card.body;
    expect(title).toMatchObject({ type: 'TextBlock', text: 'Invalid vault credentials provided', size: 'Large', weight: 'Bolder', style: 'heading' });
    expect(meta).toMatchObject({ isSubtle: true, spacing: 'None', text: 'Error · MARS agent · confidence 100% · 34513' });
    const shown = texts(card);
    const order = ['Most likely cause (1 of 3): The vault credentials are not valid', 'Note: Keep the MARS agent up to date. Older versions can fail to validate the vault credentials.', 'Article', '2 other possible causes: say "it still fails" for the next one.'];
    const positions = order.map((t) => shown.indexOf(t));
    expect(positions.every((p) => p >= 0)).toBe(true);
    expect(positions).toEqual([...positions].sort((a, b) => a - b));
    expect(card.body.find((e) => String(e.text).startsWith('[Article]'))?.text).toBe(`[Article](${answer!.matches[0]!.url})`);
  });

  it('is an Adaptive Card 1.5 with the plain text as its fallback', async () => {
    const [answer] = await conversation(VSS);
    const card = renderCard(answer!);
    expect(card).toMatchObject({ type: 'AdaptiveCard', version: '1.5', lang: 'en', msteams: { width: 'Full' }, $schema: 'http://adaptivecards.io/schemas/adaptive-card.json' });
    expect(card.fallbackText).toBe(renderText(answer!));
    expect(renderCard(hugeAnswer()).fallbackText.length).toBeLessThanOrEqual(4000);
  });

  it('turns a divider into a separator on the next element', () => {
    const card = renderCard(madeUp([{ type: 'paragraph', text: [{ text: 'one' }] }, { type: 'divider' }, { type: 'heading', level: 1, text: [{ text: 'two' }] }]));
    expect(card.body).toHaveLength(2);
    expect(card.body[1]).toMatchObject({ text: 'two', separator: true, spacing: 'Large' });
  });

  it('lists "did you mean" candidates with their products in the body and on uncut buttons', async () => {
    const [answer] = await conversation('Online recovery point creation failed');
    expect(answer!.suggestions.length).toBeGreaterThan(1);
    const card = renderCard(answer!);
    const body = card.body.flatMap((e) => texts(e));
    for (const s of answer!.suggestions) {
      expect(body).toContain(s.title);
      expect(body).toContain(STRINGS.en.product[s.product]);
    }
    const picks = buttons(card).filter((b) => actionFromValue(b.data)?.type === 'pick');
    expect(picks.map((b) => b.title)).toEqual(answer!.buttons.filter((b) => b.group === 'choices').map((b) => b.label));
    expect(picks.some((b) => String(b.title).length > 60)).toBe(true);
    for (const b of picks) expect(String(b.title)).toContain('(Azure Backup Server / DPM)');
    expect(stepNumbers(card)).toEqual(answer!.suggestions.map((_, i) => `${i + 1}.`));
  });
});

describe('Teams card: buttons', () => {
  it('gives every button data that decodes to its action, with the entries and language of the answer', async () => {
    for (const [answer] of [await conversation(VAULT), await conversation('Online recovery point creation failed')]) {
      const card = renderCard(answer!);
      expect(buttons(card).map((b) => b.title)).toEqual(answer!.buttons.map((b) => b.label));
      const ids = [...answer!.matches.map((m) => m.id), ...answer!.suggestions.map((s) => s.id)];
      for (const [i, action] of decoded(card).entries()) {
        expect(action).toEqual(answer!.buttons[i]!.action);
        expect(action.language).toBe(answer!.language);
        const entries = 'entries' in action ? action.entries : [action.entry];
        for (const e of entries) {
          if (ids.includes(e)) continue;
          // The close second the answer names in one line, with a button of its own.
          expect(action.type).toBe('pick');
          expect(JSON.stringify(answer!.blocks)).toContain(`Could also be: ${answer!.buttons[i]!.label}`);
        }
      }
    }
  });

  it('reads nothing from a malformed button value', () => {
    const good = encodeAction({ type: 'pick', language: 'en', entry: 'mars/x' });
    expect(actionFromValue({ [ACTION_DATA_KEY]: good })).toEqual({ type: 'pick', language: 'en', entry: 'mars/x' });
    for (const bad of [undefined, null, good, 42, [good], {}, { [ACTION_DATA_KEY]: 42 }, { [ACTION_DATA_KEY]: 'bt1|pick|xx|mars/x' }, { [ACTION_DATA_KEY]: `${good}|extra` }, { action: 'more_causes' }]) {
      expect(actionFromValue(bad)).toBeUndefined();
    }
  });

  it('answers in the language a button asked for, with buttons that carry it', async () => {
    const [answer] = await conversation(VAULT);
    const toDutch = answer!.buttons.find((b) => b.action.type === 'language' && b.action.to === 'nl')!.action;
    const dutch = await sharedBot().handle({ text: '', thread: 'teams-card-nl', user: 'u', action: toDutch });
    const card = renderCard(dutch);
    expect(card.lang).toBe('nl');
    expect(decoded(card).every((a) => a.language === 'nl')).toBe(true);
    const up = decoded(card).find((a) => a.type === 'feedback')!;
    expect(texts(spendAction(card, up))).toContain(STRINGS.nl.feedbackThanks);
  });

  it('replaces the feedback buttons with the thanks once one is clicked', async () => {
    const card = await cardFor(VAULT);
    const down = decoded(card).find((a) => a.type === 'feedback' && a.value === 'down')!;
    const spent = spendAction(card, down);
    expect(decoded(spent).filter((a) => a.type === 'feedback')).toEqual([]);
    expect(decoded(spent).map((a) => a.type)).toEqual(['pick', 'more_causes', 'language', 'language']);
    expect(spent.body.at(-1)).toMatchObject({ type: 'TextBlock', text: STRINGS.en.feedbackThanks, isSubtle: true });
    expect(texts(spendAction(spent, down)).filter((t) => t === STRINGS.en.feedbackThanks)).toHaveLength(1);
    expect(decoded(card).filter((a) => a.type === 'feedback')).toHaveLength(2);
  });

  it('removes a used "other causes" or "did you mean" button and keeps the rest', async () => {
    const card = await cardFor(VAULT);
    const more = decoded(card).find((a) => a.type === 'more_causes')!;
    expect(decoded(spendAction(card, more)).map((a) => a.type)).toEqual(['pick', 'language', 'language', 'feedback', 'feedback']);

    const choices = await cardFor('Online recovery point creation failed');
    const [first, ...rest] = decoded(choices);
    expect(decoded(spendAction(choices, first!))).toEqual(rest);

    const language = decoded(card).find((a) => a.type === 'language')!;
    expect(spendAction(card, language)).toEqual(card);
  });

  it('keeps every button reachable when there are more than Teams shows in a row', () => {
    const answer = madeUp([{ type: 'paragraph', text: [{ text: 'Pick one' }] }]);
    const picks = Array.from({ length: 8 }, (_, i) => ({ label: `${i + 1}. Choice ${i + 1}`, group: 'choices' as const, action: { type: 'pick' as const, language: 'en' as const, entry: `mars/choice-${i + 1}` } }));
    const card = renderCard({ ...answer, buttons: [...picks, ...answer.buttons] });
    expect(card.actions.length).toBeLessThanOrEqual(5);
    expect(cardIssues(card)).toEqual([]);
    expect(buttons(card).map((b) => b.title)).toEqual([...picks, ...answer.buttons].map((b) => b.label));
    expect(card.body.at(-1)?.type).toBe('ActionSet');
    const spent = spendAction(card, picks[0]!.action);
    expect(buttons(spent)).toHaveLength(10);
  });
});

describe('Teams card: size', () => {
  it('keeps a real answer whole', async () => {
    const card = await cardFor(VAULT);
    expect(bytes(card)).toBeLessThan(CARD_MAX_BYTES);
    expect(texts(card)).not.toContain(STRINGS.en.trimmed);
  });

  it('trims an answer of several hundred KB to the limit, keeping what fits, and points to the article', () => {
    const answer = hugeAnswer();
    expect(JSON.stringify(answer).length).toBeGreaterThan(500_000);
    const card = renderCard(answer);
    expect(bytes(card)).toBeLessThanOrEqual(CARD_MAX_BYTES);
    const notice = card.body.find((e) => String(e.text).startsWith(STRINGS.en.trimmed));
    expect(notice?.text).toBe(`${STRINGS.en.trimmed} [Article](${ARTICLE})`);
    const shown = texts(card);
    expect(shown[0]).toBe('A very long answer');
    expect(shown).toContain('Note: A note after the code.');
    expect(shown).toContain(`${'Enormous paragraph. '.repeat(50).slice(0, 999)}…`);
    expect(stepNumbers(card)[0]).toBe('1.');
    expect(buttons(card)).toHaveLength(3);
  });

  it('cuts a text too big for any card short, and still shows the title, the notice and the link', () => {
    const huge = 'x'.repeat(200_000);
    const answer = madeUp([
      { type: 'heading', level: 1, text: [{ text: `Title ${huge}` }] },
      { type: 'paragraph', text: [{ text: huge }] },
      { type: 'code', code: huge },
      { type: 'link', label: 'Article', url: ARTICLE },
    ]);
    const card = renderCard(answer);
    expect(bytes(card)).toBeLessThanOrEqual(CARD_MAX_BYTES);
    expect(String(card.body[0]!.text)).toMatch(/^Title x+…$/u);
    expect(texts(card)).toContain(`${STRINGS.en.trimmed} Article`);
    expect(JSON.stringify(card)).toContain(ARTICLE);
    expect(buttons(card)).toHaveLength(3);
  });

  it('falls back to the title, the notice, the link and the first buttons that fit when nothing else does', () => {
    const answer = madeUp([
      { type: 'heading', level: 1, text: [{ text: 'Title' }] },
      { type: 'paragraph', text: [{ text: 'Some words.' }] },
      { type: 'link', label: 'Article', url: ARTICLE },
    ]);
    const picks = Array.from({ length: 1000 }, (_, i) => ({ label: `${i + 1}. ${'Choice '.repeat(50)}`, group: 'choices' as const, action: { type: 'pick' as const, language: 'en' as const, entry: `mars/choice-${i + 1}` } }));
    const card = renderCard({ ...answer, buttons: picks });
    expect(bytes(card)).toBeLessThanOrEqual(CARD_MAX_BYTES);
    expect(texts(card)).toEqual(['Title', `${STRINGS.en.trimmed} Article`]);
    expect(JSON.stringify(card)).toContain(ARTICLE);
    const shown = decoded(card);
    expect(shown.length).toBeGreaterThan(50);
    expect(shown).toEqual(picks.slice(0, shown.length).map((p) => p.action));
  });

  it('stays within the limit whatever the blocks hold', () => {
    const big = fc.integer({ min: 0, max: 120_000 });
    const block = fc.oneof(
      big.map((n): Block => ({ type: 'paragraph', text: [{ text: 'ä'.repeat(n) }] })),
      big.map((n): Block => ({ type: 'code', code: 'c\n'.repeat(n / 2) })),
      big.map((n): Block => ({ type: 'heading', level: 1, text: [{ text: '"'.repeat(n) }] })),
      fc.integer({ min: 0, max: 40 }).map((n): Block => ({ type: 'steps', start: 1, items: Array.from({ length: n }, (_, i) => step(i)) })),
      fc.constant<Block>({ type: 'divider' }),
      fc.constant<Block>({ type: 'link', label: 'Article', url: ARTICLE }),
    );
    fc.assert(
      fc.property(fc.array(block, { maxLength: 8 }), (blocks) => {
        expect(bytes(renderCard(madeUp(blocks)))).toBeLessThanOrEqual(CARD_MAX_BYTES);
      }),
      { numRuns: 40 },
    );
  });
});

describe('Teams card: accepted by the Adaptive Cards library', () => {
  it('parses and validates real cards and a trimmed one without an issue', async () => {
    const cards = [
      await cardFor(VAULT),
      await cardFor(VSS, 'it still fails'),
      await cardFor(VAULT, 'what does step 2 mean?'),
      await cardFor('Online recovery point creation failed'),
      renderCard(hugeAnswer()),
    ];
    cards.push(spendAction(cards[0]!, decoded(cards[0]!).find((a) => a.type === 'feedback')!));
    for (const card of cards) expect(cardIssues(card)).toEqual([]);
  });

  it('reports a broken card, so that the check above means something', () => {
    const card = structuredClone(renderCard(madeUp([{ type: 'code', code: 'x' }])));
    card.body.push({ type: 'Tabel' }, { type: 'TextBlock', text: 'x', size: 'Enormous' });
    expect(cardIssues(card)).toHaveLength(2);
  });
});
