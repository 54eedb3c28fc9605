import type { Language } from '../knowledge/schema.ts';
import { STRINGS } from '../i18n/strings.ts';
import { keyAction, stepText, type Answer, type MatchView, type StepView } from './model.ts';

const SUMMARY_CHARS = 140;

function firstLine(step: StepView | undefined): string {
  const text = (step?.text ?? '').replace(/\s+/gu, ' ').trim();
  return text.length > SUMMARY_CHARS ? `${text.slice(0, SUMMARY_CHARS - 1)}…` : text;
}

function numbered(steps: StepView[]): string[] {
  return steps.map((s, i) => {
    const [head, ...rest] = stepText(s).split('\n');
    return [`${i + 1}. ${head}`, ...rest.map((l) => `   ${l}`)].join('\n');
  });
}

/** One match as plain text (light Markdown): title, cause table, numbered steps, notes, link. */
export function renderMatch(m: MatchView, language: Language): string {
  const s = STRINGS[language];
  const label = m.kind === 'error' ? s.errorLabel : s.guideLabel;
  const codes = m.codes.length ? ` · ${m.codes.slice(0, 3).join(', ')}` : '';
  const out: string[] = [`*${m.title}*`, `${label} · ${s.product[m.product]}${codes} · ${s.confidence(Math.round(m.confidence * 100))}`];
  if (m.summary) out.push('', m.summary);
  if (m.causes.length > 0 && (m.focusCause !== undefined || m.causes.length > 1)) {
    out.push('', `${s.causes}:`);
    m.causes.forEach((c, i) => {
      out.push(`${i + 1}. ${c.cause}`);
      const fix = firstLine(keyAction(m.causes, i));
      if (fix) out.push(`   → ${fix}`);
    });
  }
  if (m.steps.length > 0) {
    const focus = m.focusCause !== undefined ? m.causes[m.focusCause] : undefined;
    out.push('', focus ? s.steps(focus.cause) : s.guideSteps, ...numbered(m.steps));
  }
  for (const note of m.notes) out.push('', `${s.notes}: ${note}`);
  out.push('', `${s.article}: ${m.url}`);
  return out.join('\n');
}

export function renderText(answer: Omit<Answer, 'text'>): string {
  const s = STRINGS[answer.language];
  const parts: string[] = [];
  if (answer.lead.length) parts.push(answer.lead.join('\n'));
  answer.matches.forEach((m) => parts.push(renderMatch(m, answer.language)));
  if (answer.suggestions.length) {
    parts.push(
      answer.suggestions
        .map((x, i) => `${i + 1}. ${x.title} (${s.product[x.product]})`)
        .concat(s.didYouMeanHint)
        .join('\n'),
    );
  }
  if (answer.tail.length) parts.push(answer.tail.join('\n'));
  return parts.join('\n\n');
}
