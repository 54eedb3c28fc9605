import type { Answer } from '../answer/model.ts';
import type { Entry, Language } from '../knowledge/schema.ts';
import type { Recognition } from '../recognise/recognise.ts';
import { ANSWER, CLEAR_ANSWER, decide, STRONG, SUGGEST } from './decision.ts';
import type { IntentClassifier } from './intents.ts';
import { findPassages, type Found } from './passages.ts';
import type { Vocabulary } from './vocabulary.ts';

/** What a message asks for, once understood in its thread. */
export type Route =
  | { kind: 'diagnose' }
  | { kind: 'pick'; entry: string }
  | { kind: 'switch_language'; to: Language }
  | { kind: 'explain_step'; step: number | 'last' | undefined }
  | { kind: 'not_resolved'; tried: number[] }
  | { kind: 'more_causes' }
  /** `asked`: the message is phrased as a question. */
  | { kind: 'question'; found: Found[]; asked: boolean }
  | { kind: 'thanks' }
  | { kind: 'help' };

export interface RouteInput {
  text: string;
  rec: Recognition;
  /** The entry the thread's last answer is about, if any. */
  focus: Entry | undefined;
  /** The entries offered as "did you mean", if any. */
  suggestions: Entry[];
  language: Language;
}

export interface Router {
  vocabulary: Vocabulary;
  classifier: IntentClassifier;
}

/** A follow-up intent needs this share of the classifier's belief. */
const INTENT_CONFIDENCE = 0.45;
/** Messages longer than this many words are pastes: not classified as follow-ups. */
const FOLLOW_UP_WORDS = 60;
/** Short messages: a pick, a step, a language. */
const SHORT = 12;
/** A passage that holds this share of a question answers it, even when another entry fits too. */
const SURE_PASSAGE = 0.6;

/**
 * Decides what a message asks for. In a thread that holds an answer, the message is first
 * understood in that context: a pick, a step, "still fails", a statement of what was tried, or a
 * question about the entry in focus. A clearly pasted error, or a question that clearly names
 * another error, is a new diagnosis.
 */
export function route(input: RouteInput, router: Router): Route {
  const { text, rec, focus, suggestions } = input;
  const { vocabulary } = router;
  const words = rec.tokens.length;
  const top = rec.candidates[0];
  const pasted = top !== undefined && (top.via === 'code' || top.via === 'code-typo' || (top.via === 'text' && top.score >= STRONG));

  if (suggestions.length > 0 && words <= SHORT) {
    const entry = pick(text, suggestions, vocabulary);
    if (entry) return { kind: 'pick', entry: entry.id };
  }
  if (pasted) return { kind: 'diagnose' };
  const to = words <= 8 ? vocabulary.language(text) : undefined;
  if (to && !(top && top.score >= ANSWER)) return { kind: 'switch_language', to };

  if (suggestions.length > 0) {
    // "This happens on a MARS-only machine": the context settles which candidate it was.
    const entry = settle(text, suggestions, vocabulary, rec);
    if (entry) return { kind: 'pick', entry: entry.id };
  }

  const intent = words <= FOLLOW_UP_WORDS ? router.classifier.classify(text)[0] : undefined;
  const sure = intent && intent.confidence >= INTENT_CONFIDENCE ? intent.intent : 'diagnose';
  const evidence = top?.score ?? 0;

  if (!focus) {
    if (sure === 'help' || sure === 'thanks') return evidence >= CLEAR_ANSWER ? { kind: 'diagnose' } : { kind: sure };
    // A follow-up needs an answer to follow: without one, a message that fits entries is a question.
    if ((sure === 'explain_step' || sure === 'more_causes' || sure === 'not_resolved') && evidence < SUGGEST) return followUp(sure, text, vocabulary);
    if (vocabulary.stepNumber(text) !== undefined && words <= SHORT && evidence < ANSWER) return { kind: 'explain_step', step: vocabulary.stepNumber(text) };
    return { kind: 'diagnose' };
  }

  const step = words <= 14 ? vocabulary.stepNumber(text) : undefined;
  if (step !== undefined) return { kind: 'explain_step', step };
  if (/^#?\d{1,2}\s*\??$/u.test(text.trim())) return { kind: 'explain_step', step: Number(/\d+/u.exec(text)![0]) };

  const found = findPassages(text, focus, input.language, vocabulary);
  // A question with words of the answer in it is about the answer, whatever its phrasing resembles.
  const aboutAnswer = found.length > 0;
  const tried = vocabulary.tried.test(text);
  if ((sure === 'not_resolved' && !(aboutAnswer && text.includes('?'))) || (tried && words <= 40)) {
    return { kind: 'not_resolved', tried: tried ? coveredCauses(text, focus, input.language, vocabulary) : [] };
  }
  if (!aboutAnswer && (sure === 'thanks' || sure === 'help' || sure === 'more_causes')) return { kind: sure };
  if (!aboutAnswer && sure === 'explain_step') return { kind: 'explain_step', step: undefined };
  const decision = decide(rec.candidates, rec.product);
  const other = decision.answer.find((c) => c.entry.id !== focus.id);
  if (other && !(found[0] && found[0].share >= SURE_PASSAGE)) return { kind: 'diagnose' };
  if (found.length > 0) return { kind: 'question', found, asked: isAsked(text) };
  if (decision.answer.length > 0 || decision.suggest.some((c) => c.entry.id !== focus.id)) return { kind: 'diagnose' };
  return { kind: 'question', found: [], asked: isAsked(text) };
}

/** A question mark, or a question word first: "where", "hoe", "vad"… */
function isAsked(text: string): boolean {
  return text.includes('?') || /^(?:how|what|which|where|why|when|who|do|does|did|can|could|should|is|are|hoe|wat|welke|waar|waarom|wanneer|moet|kan|hur|vad|vilken|vilket|var|varför|när|måste|ska|behöver)\b/iu.test(text.trim());
}

function followUp(intent: 'explain_step' | 'more_causes' | 'not_resolved', text: string, vocabulary: Vocabulary): Route {
  if (intent === 'explain_step') return { kind: 'explain_step', step: vocabulary.stepNumber(text) };
  if (intent === 'more_causes') return { kind: 'more_causes' };
  return { kind: 'not_resolved', tried: [] };
}

/** "1", "2, the DPM server", "the second one", "the MABS one": the candidate a reply picks. */
function pick(text: string, suggestions: Entry[], vocabulary: Vocabulary): Entry | undefined {
  // The product tells the candidates apart best: "2, the DPM server" is the DPM one, whatever its number.
  const named = vocabulary.products(text);
  if (named.length === 1) {
    const matching = suggestions.filter((e) => e.product === named[0]);
    if (matching.length === 1) return matching[0];
  }
  const n = vocabulary.pickNumber(text);
  return n === 'last' ? suggestions[suggestions.length - 1] : n !== undefined ? suggestions[n - 1] : undefined;
}

/** A message that names the product of exactly one candidate, or clearly fits one better. */
function settle(text: string, suggestions: Entry[], vocabulary: Vocabulary, rec: Recognition): Entry | undefined {
  const products = new Set(vocabulary.products(text));
  if (rec.product) products.add(rec.product);
  if (products.size === 1) {
    const matching = suggestions.filter((e) => products.has(e.product));
    if (matching.length === 1) return matching[0];
  }
  const scores = suggestions.map((e) => rec.candidates.find((c) => c.entry.id === e.id)?.score ?? 0);
  const best = Math.max(...scores);
  const leaders = scores.filter((s) => s >= best - 0.1);
  return best >= SUGGEST && leaders.length === 1 ? suggestions[scores.indexOf(best)] : undefined;
}

/** The causes a statement of what was tried covers: those whose cause or steps it matches. */
function coveredCauses(text: string, focus: Entry, language: Language, vocabulary: Vocabulary): number[] {
  const out = new Set<number>();
  const found = findPassages(text, focus, language, vocabulary).filter((f) => f.passage.cause !== undefined && f.passage.kind !== 'note');
  const best = found[0]?.share ?? 0;
  // Only the causes the statement fits best: a word every cause shares ("agent") covers none.
  for (const f of found) if (f.share >= best * 0.9) out.add(f.passage.cause!);
  return [...out].sort((a, b) => a - b);
}

/** A passage holding this share of a message that isn't a question is still clearly about it. */
const CLEARLY_ABOUT = 0.6;
/** "Help" in a longer message not addressed to the bot is someone asking a colleague. */
const HELP_WORDS = 3;

/**
 * Whether a reply in a thread, not addressed to the bot, is worth an answer: people in the thread
 * may be talking to each other, so "I don't recognise this", "the answer doesn't say", "which
 * step?" and help for a long message stay unsaid, and so does a statement that only shares a few
 * words with the answer.
 */
export function worthSaying(where: Route, answer: Answer, words: number): boolean {
  switch (where.kind) {
    case 'diagnose':
      return answer.matches.length > 0 || answer.suggestions.length > 0;
    case 'question': {
      const best = where.found[0];
      return best !== undefined && (where.asked || best.share >= CLEARLY_ABOUT);
    }
    case 'explain_step':
      return where.step !== undefined;
    case 'help':
      return words <= HELP_WORDS;
    default:
      return true;
  }
}
