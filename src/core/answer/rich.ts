import type { Action as KnowledgeAction } from '../knowledge/schema.ts';
import type { Rich, Span, StepItem } from './model.ts';

const INLINE = /`([^`]+)`|\*\*([^*]+)\*\*|\[([^[\]]+)\]\((https:\/\/[^()\s]+)\)/gu;

/** A knowledge text (with `code`, **bold** and [text](https://…) in it) as styled spans. */
export function rich(text: string): Rich {
  const out: Span[] = [];
  let last = 0;
  for (const m of text.matchAll(INLINE)) {
    if (m.index > last) out.push({ text: text.slice(last, m.index) });
    if (m[1] !== undefined) out.push({ text: m[1], style: 'code' });
    else if (m[2] !== undefined) out.push({ text: m[2], style: 'bold' });
    else out.push({ text: m[3] ?? '', url: m[4] ?? '' });
    last = m.index + m[0].length;
  }
  if (last < text.length) out.push({ text: text.slice(last) });
  return out;
}

/** Plain words, unstyled: for the bot's own sentences. */
export function plain(text: string): Rich {
  return [{ text }];
}

/** The text of spans without any styling (links keep their text). */
export function flat(text: Rich): string {
  return text.map((s) => s.text).join('');
}

export function isLink(span: Span): span is { text: string; url: string } {
  return 'url' in span;
}

/** A knowledge action as a step item. */
export function stepItem(action: KnowledgeAction): StepItem {
  if (typeof action === 'string') return { text: rich(action), substeps: [] };
  return {
    text: rich(action.text),
    substeps: (action.steps ?? []).map((s) => (typeof s === 'string' ? { text: rich(s) } : { text: rich(s.text), code: s.code.trimEnd() })),
    ...(action.code ? { code: action.code.trimEnd() } : {}),
  };
}

/** The characters a step shows: its text, sub-steps and code. */
export function stepLength(step: StepItem): number {
  return flat(step.text).length + step.substeps.reduce((n, s) => n + flat(s.text).length + (s.code?.length ?? 0), 0) + (step.code?.length ?? 0);
}
