import { keyAction, stepText, truncate, type Answer, type MatchView } from '../../core/answer/model.ts';
import { LANGUAGE_LABELS, STRINGS } from '../../core/i18n/strings.ts';
import { LANGUAGES, type Language } from '../../core/knowledge/schema.ts';

/** Teams refuses messages over about 100 KB; a card stays well under. */
export const CARD_MAX_BYTES = 80 * 1024;
const FALLBACK_CHARS = 4000;


/** What an Adaptive Card button sends back in `activity.value`. */
export type CardAction =
  | { action: 'more_causes' }
  | { action: 'language'; language: Language }
  | { action: 'pick'; index: number }
  | { action: 'feedback'; value: 'up' | 'down'; entry: string };

type Element = Record<string, unknown>;

const text = (value: string, extra: Element = {}): Element => ({ type: 'TextBlock', text: value, wrap: true, ...extra });
const submit = (title: string, data: CardAction): Element => ({ type: 'Action.Submit', title, data });


function causeTable(m: MatchView, language: Language): Element {
  const s = STRINGS[language];
  const cell = (value: string, extra: Element = {}) => ({ type: 'TableCell', items: [text(truncate(value, 600), extra)] });
  return {
    type: 'Table',
    gridStyle: 'accent',
    firstRowAsHeaders: true,
    columns: [{ width: 2 }, { width: 3 }],
    rows: [
      { type: 'TableRow', cells: [cell(s.cause, { weight: 'Bolder' }), cell(s.fix, { weight: 'Bolder' })] },
      ...m.causes.map((c, i) => ({ type: 'TableRow', cells: [cell(`${i + 1}. ${c.cause}`), cell(keyAction(m.causes, i)?.text ?? '')] })),
    ],
  };
}

function matchElements(m: MatchView, language: Language, withSteps: boolean): Element[] {
  const s = STRINGS[language];
  const label = m.kind === 'error' ? s.errorLabel : s.guideLabel;
  const codes = m.codes.length ? ` · ${m.codes.slice(0, 3).join(', ')}` : '';
  const out: Element[] = [
    text(m.title, { size: 'Large', weight: 'Bolder', style: 'heading' }),
    text(`${label} · ${s.product[m.product]}${codes} · ${s.confidence(Math.round(m.confidence * 100))}`, { isSubtle: true, spacing: 'None' }),
  ];
  if (m.summary) out.push(text(m.summary));
  if (m.causes.length > 1) out.push(causeTable(m, language));
  if (withSteps && m.steps.length > 0) {
    const focus = m.focusCause !== undefined ? m.causes[m.focusCause] : undefined;
    out.push(text(focus ? s.steps(focus.cause) : s.guideSteps, { weight: 'Bolder' }));
    // A numbered Markdown list in one TextBlock: Teams renders it as an ordered list.
    out.push(text(m.steps.map((step, i) => `${i + 1}. ${stepText(step).split('\n').join('\n   ')}`).join('\n')));
  }
  for (const note of m.notes) out.push(text(`${s.notes}: ${note}`, { isSubtle: true }));
  out.push(text(`[${s.article}](${m.url})`));
  return out;
}

function actions(answer: Answer): Element[] {
  const s = STRINGS[answer.language];
  const out: Element[] = [];
  const first = answer.matches[0];
  answer.suggestions.forEach((x, i) => out.push(submit(`${i + 1}. ${truncate(x.title, 60)}`, { action: 'pick', index: i + 1 })));
  if (answer.matches.length === 1 && first && first.causes.length > 1) out.push(submit(s.buttonOtherCauses, { action: 'more_causes' }));
  if (first) {
    for (const l of LANGUAGES) if (l !== answer.language) out.push(submit(LANGUAGE_LABELS[l], { action: 'language', language: l }));
    out.push(submit(`👍 ${s.feedbackYes}`, { action: 'feedback', value: 'up', entry: first.id }), submit(`👎 ${s.feedbackNo}`, { action: 'feedback', value: 'down', entry: first.id }));
  }
  return out;
}

function build(answer: Answer, withSteps: boolean, trimmed: boolean): Element {
  const s = STRINGS[answer.language];
  const body: Element[] = [];
  if (answer.lead.length) body.push(text(answer.lead.join('\n\n')));
  answer.matches.forEach((m, i) => {
    const elements = matchElements(m, answer.language, withSteps);
    body.push(...(i > 0 ? [{ ...elements[0], separator: true, spacing: 'Large' }, ...elements.slice(1)] : elements));
  });
  if (answer.suggestions.length) body.push(text(answer.suggestions.map((x, i) => `${i + 1}. ${x.title} (${s.product[x.product]})`).join('\n')), text(s.didYouMeanHint, { isSubtle: true }));
  if (answer.tail.length) body.push(text(answer.tail.join('\n\n')));
  if (trimmed && answer.matches[0]) body.push(text(`${s.trimmed} [${s.article}](${answer.matches[0].url})`));
  return {
    type: 'AdaptiveCard',
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version: '1.5',
    lang: answer.language,
    fallbackText: truncate(answer.text, FALLBACK_CHARS),
    msteams: { width: 'Full' },
    body,
    actions: actions(answer),
  };
}

/** An answer as an Adaptive Card 1.5; a card too big for Teams drops the steps and points to the article. */
export function renderCard(answer: Answer): Element {
  const full = build(answer, true, false);
  if (Buffer.byteLength(JSON.stringify(full)) <= CARD_MAX_BYTES) return full;
  const short = build(answer, false, true);
  if (Buffer.byteLength(JSON.stringify(short)) <= CARD_MAX_BYTES) return short;
  return build({ ...answer, lead: [], tail: [], matches: answer.matches.map((m) => ({ ...m, summary: undefined, causes: [], notes: [] })) as MatchView[] }, false, true);
}
