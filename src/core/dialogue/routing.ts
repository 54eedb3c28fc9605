import type { Answer } from '../answer/model.ts';
import type { Entry, Language } from '../knowledge/schema.ts';
import type { Recognition } from '../recognise/recognise.ts';
import { ANSWER, CLEAR_ANSWER, decide, STRONG, SUGGEST } from './decision.ts';
import type { IntentClassifier } from './intents.ts';
import { askingPart, bestFirst, clauses, contentWordCount, findPassages, type Found } from './passages.ts';
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
/** A clause of what was tried covers a cause when a passage of that cause holds this share of it. */
const COVERS = 0.5;
/** Help, "other causes?" and "which step?" are at most this long. */
const SHORT_FOLLOW_UP = 8;
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
  // The error in focus quoted again with words around it ("still 34513") is a follow-up.
  const sameError = pasted && top.entry.id === focus?.id && userWords(rec) > 0;
  if (pasted && !sameError) return { kind: 'diagnose' };
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

  const found = aboutFocus(text, focus, input.language, vocabulary);
  // A question with words of the answer in it is about the answer, whatever its phrasing resembles.
  const aboutAnswer = found.length > 0;
  const asked = isAsked(text);
  const tried = vocabulary.tried.test(text);
  const still = vocabulary.still.test(text) && !asked;
  // "Already did X, still fails" moves on; a question about the answer is answered, tried or not.
  if (!(aboutAnswer && asked) && (sure === 'not_resolved' || ((tried || still) && words <= 60))) {
    return { kind: 'not_resolved', tried: tried || still ? coveredCauses(text, focus, input.language, vocabulary) : [] };
  }
  if (!aboutAnswer && sure === 'thanks') return { kind: sure };
  // Help, "other causes" and "which step?" are short; a longer message is a question about the answer.
  if (!aboutAnswer && words <= SHORT_FOLLOW_UP && (sure === 'help' || sure === 'more_causes')) return { kind: sure };
  if (!aboutAnswer && words <= SHORT_FOLLOW_UP && sure === 'explain_step') return { kind: 'explain_step', step: undefined };
  const decision = decide(rec.candidates, rec.product, rec.tokens);
  const other = decision.answer.find((c) => c.entry.id !== focus.id);
  if (other && !(found[0] && found[0].share >= SURE_PASSAGE)) return { kind: 'diagnose' };
  if (found.length > 0) return { kind: 'question', found, asked };
  if (decision.answer.length > 0 || decision.suggest.some((c) => c.entry.id !== focus.id)) return { kind: 'diagnose' };
  return { kind: 'question', found: [], asked };
}

/**
 * The passages that answer a message: scored on the whole message and on its question sentence
 * alone (context around a question adds words that dilute it), each passage by its better share.
 */
function aboutFocus(text: string, focus: Entry, language: Language, vocabulary: Vocabulary): Found[] {
  const whole = findPassages(text, focus, language, vocabulary);
  const asking = askingPart(text);
  if (asking === text) return whole;
  const best = new Map<string, Found>();
  const key = (f: Found) => `${f.passage.kind}:${f.passage.cause}:${f.passage.step}:${f.passage.note}`;
  for (const f of [...whole, ...findPassages(asking, focus, language, vocabulary)]) if (f.share > (best.get(key(f))?.share ?? 0)) best.set(key(f), f);
  return bestFirst([...best.values()]);
}

/** How many words of a message are the writer's own, not a pasted error's. */
function userWords(rec: Recognition): number {
  return rec.tokens.filter((t) => !rec.pastedTokens.has(t) && !/^\d+$/u.test(t)).length;
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
  // Each clause is one thing tried ("checked the disk, restarted the writers"), matched on its own;
  // only the causes a clause fits best count: a word every cause shares ("agent") covers none.
  for (const clause of clauses(text)) {
    // "It still fails" names nothing that was tried: a clause needs two words of its own.
    if (contentWordCount(clause.replace(vocabulary.still, ' ').replace(vocabulary.tried, ' '), language) < 2) continue;
    const found = findPassages(clause, focus, language, vocabulary).filter((f) => f.passage.cause !== undefined && f.passage.kind !== 'note');
    const best = found[0]?.share ?? 0;
    if (best < COVERS) continue;
    const causes = new Set(found.filter((f) => f.share >= best * 0.9).map((f) => f.passage.cause!));
    if (causes.size < (focus.locales[language].causes?.length ?? 0)) for (const c of causes) out.add(c);
  }
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
