import type { Answer } from './model.ts';
import { renderText } from './render-text.ts';

/** The stable JSON interface of `ask --json` and `chat --jsonl`. */
export function answerJson(answer: Answer) {
  return {
    language: answer.language,
    intent: answer.kind,
    matches: answer.matches.map((m) => ({
      id: m.id,
      doc: m.doc,
      anchor: m.anchor,
      confidence: m.confidence,
      title: m.title,
      focus: { cause: m.focus.cause ?? null, step: m.focus.step ?? null, note: m.focus.note ?? null },
      causes: m.causes,
      url: m.url,
    })),
    suggestions: answer.suggestions.map((s) => ({ id: s.id, title: s.title, product: s.product, confidence: s.confidence })),
    text: renderText(answer),
  };
}
