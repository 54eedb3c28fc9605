import { matchView, type Answer, type IncomingMessage, type Intent, type MatchView, type MessageAction, type Suggestion } from './answer/model.ts';
import { renderText } from './answer/render-text.ts';
import { trainIntentClassifier, type IntentClassifier, type IntentFile } from './dialogue/intents.ts';
import { STRINGS } from './i18n/strings.ts';
import type { KnowledgeBase } from './knowledge/load.ts';
import { LANGUAGES, type Language, type Product } from './knowledge/schema.ts';
import { detectLanguage, languageFromLocale } from './language/detect.ts';
import { CHAT_WORDS, LANGUAGE_NAMES } from './language/markers.ts';
import { labelLanguageOf } from './recognise/codes.ts';
import { buildIndex, type SearchIndex } from './recognise/index.ts';
import { recognise, type Candidate, type Recognition } from './recognise/recognise.ts';
import { cleanInput, MAX_INPUT_CHARS } from './text/clean.ts';
import type { ContextStore } from '../store/context-store.ts';

/** What a thread remembers between messages. */
export interface ThreadContext {
  language: Language;
  /** The entries of the last answer, the first one in focus. */
  entries: { id: string; confidence: number }[];
  /** The cause whose steps are showing, for the entry in focus. */
  focusCause: number;
  /** Entries offered as "did you mean", so that a reply "2" picks one. */
  suggestions: { id: string; confidence: number }[];
}

export interface EngineLogger {
  warn(fields: Record<string, unknown>, message: string): void;
}

export interface EngineOptions {
  knowledge: KnowledgeBase;
  intents: IntentFile[];
  store: ContextStore<ThreadContext>;
  logger?: EngineLogger;
}

export interface Engine {
  handle(message: IncomingMessage): Promise<Answer>;
  /**
   * Whether a message is a pasted error the engine would answer outright, without saving anything:
   * for listening in on a channel, where only a sure answer is welcome.
   */
  confident(text: string): boolean;
  /** The language of a thread's earlier answer, or undefined when the thread holds none. */
  threadLanguage(thread: string): Promise<Language | undefined>;
  /** Moves a thread's context to another key: the answer became the thread's root message. */
  moveThread(from: string, to: string): Promise<void>;
}

/** One message being answered: what it says, what was recognised, and what the thread knows. */
interface Turn {
  text: string;
  rec: Recognition;
  message: IncomingMessage;
  context: ThreadContext | undefined;
  language: Language;
  notices: string[];
  /** The language a language button asks for. */
  target?: Language;
}

/** Answer with one entry from this score on. */
const ANSWER = 0.62;
/** Above this, a pasted message is clearly in the text (several of them make a multi-error paste). */
const STRONG = 0.8;
/** Twins this close are the same evidence: the product decides, or the user. */
const TWIN_GAP = 0.1;
/** A little below ANSWER, a question with a clear lead over every other entry is answered too. */
const CLEAR_ANSWER = 0.55;
const CLEAR_MARGIN = 0.15;
/** Offer candidates as "did you mean" from this score on (a question's words: a little higher). */
const SUGGEST = 0.4;
const SUGGEST_QUESTION = 0.5;
/** The lead the best candidate needs over a different second to be answered alone. */
const MARGIN = 0.08;
/** Alternatives within this of the leader, for the same pasted text, are a real ambiguity. */
const TIE = 0.04;
const MAX_ERRORS = 3;
const MAX_SUGGESTIONS = 3;
/** A follow-up intent needs this share of the classifier's belief. */
const INTENT_CONFIDENCE = 0.45;
/** Messages longer than this many words are not classified as follow-ups. */
const FOLLOW_UP_WORDS = 60;

const STEP_WORD = /\b(?:step|steps|stap|stappen|steg|stegen|steget)\b/iu;
const ORDINALS: Record<string, number> = {
  first: 1, second: 2, third: 3, fourth: 4, fifth: 5, sixth: 6, seventh: 7, eighth: 8,
  eerste: 1, tweede: 2, derde: 3, vierde: 4, vijfde: 5, zesde: 6, zevende: 7, achtste: 8,
  första: 1, andra: 2, tredje: 3, fjärde: 4, femte: 5, sjätte: 6, sjunde: 7, åttonde: 8,
};

const ORDINAL_WORD = new RegExp(`(?<![\\p{L}])(${Object.keys(ORDINALS).join('|')})(?![\\p{L}])`, 'u');

export function createEngine(options: EngineOptions): Engine {
  const index = buildIndex(options.knowledge.entries);
  const classifier = trainIntentClassifier(options.intents);
  return new DialogueEngine(index, classifier, options.store, options.logger);
}

class DialogueEngine implements Engine {
  constructor(
    private readonly index: SearchIndex,
    private readonly classifier: IntentClassifier,
    private readonly store: ContextStore<ThreadContext>,
    private readonly logger?: EngineLogger,
  ) {}

  confident(text: string): boolean {
    if (typeof text !== 'string') return false;
    const cleaned = cleanInput(text);
    if (cleaned.problem) return false;
    const rec = recognise(this.index, cleaned.text);
    const { answer } = decide(rec.candidates, rec.product);
    return answer.length > 0 && answer.every((c) => c.via !== 'question') && this.intentOf(cleaned.text, rec, undefined) === 'diagnose';
  }

  async threadLanguage(thread: string): Promise<Language | undefined> {
    const context = await this.load(thread);
    return context && holdsAnswer(context) ? context.language : undefined;
  }

  async moveThread(from: string, to: string): Promise<void> {
    const context = await this.load(from);
    if (!context) return;
    await this.save(to, context);
    try {
      await this.store.delete(from);
    } catch (error) {
      this.logger?.warn({ err: errorName(error) }, 'context store delete failed');
    }
  }

  async handle(message: IncomingMessage): Promise<Answer> {
    const localeLanguage = languageFromLocale(message.locale);
    const context = await this.load(message.thread);
    if (message.action) return this.act(message, message.action, context, localeLanguage);
    // The adapters validate their payloads; a text of another type is still only an empty message.
    const cleaned = cleanInput(typeof message.text === 'string' ? message.text : '');

    if (cleaned.problem) {
      const language = localeLanguage ?? context?.language ?? 'en';
      const s = STRINGS[language];
      const text = { empty: s.empty, binary: s.binary, 'no-text': s.noText }[cleaned.problem];
      return say(language, 'help', [text]);
    }

    const notices: string[] = [];
    const rec = recognise(this.index, cleaned.text);
    const userTokens = rec.tokens.filter((t) => !rec.pastedTokens.has(t) && !/^\d+$/u.test(t));
    const userLanguage = detectLanguage(userTokens);
    const top = rec.candidates[0];
    const pasteLanguage = (top && top.score >= ANSWER ? top.language : undefined) ?? labelLanguageOf(cleaned.text);
    let own = userLanguage !== 'other' ? userLanguage : undefined;
    // When nothing was recognised, words without a single pronoun, question word or greeting are
    // likely a pasted message of some other product, not the writer's own words: the platform
    // locale says more about the reader.
    const recognised = top !== undefined && top.score >= ANSWER;
    if (own && localeLanguage && own !== localeLanguage && !recognised && !userTokens.some((t) => CHAT_WORDS[own!].has(t))) own = undefined;
    let language: Language = own ?? localeLanguage ?? pasteLanguage ?? context?.language ?? 'en';
    if (userLanguage === 'other') {
      language = 'en';
      notices.push(STRINGS.en.unsupportedLanguage);
    }
    if (cleaned.truncated) notices.push(STRINGS[language].truncated(MAX_INPUT_CHARS));

    const intent = this.intentOf(cleaned.text, rec, context);
    return this.respond(intent, { text: cleaned.text, rec, message, context, language, notices });
  }

  /** A button pressed under an earlier answer: the thread's language unless the button sets one. */
  private act(message: IncomingMessage, action: MessageAction, context: ThreadContext | undefined, locale: Language | undefined): Promise<Answer> {
    const language = context?.language ?? locale ?? 'en';
    // The thread's context expired (or the store lost it): the button has nothing to act on.
    if (!context) {
      const reply = action.type === 'language' ? action.language : language;
      return Promise.resolve(say(reply, action.type === 'language' ? 'switch_language' : 'diagnose', [STRINGS[reply].noContext]));
    }
    const rec: Recognition = { candidates: [], pastedTokens: new Set(), tokens: [] };
    const turn: Turn = { text: '', rec, message, context, language, notices: [] };
    switch (action.type) {
      case 'more_causes':
        return this.respond('more_causes', turn);
      case 'language':
        return this.respond('switch_language', { ...turn, target: action.language });
      case 'pick':
        return this.respond('diagnose', { ...turn, text: String(action.index) });
    }
  }

  private async respond(intent: Intent, turn: Turn): Promise<Answer> {
    const { text, message, context, language, notices } = turn;
    const s = STRINGS[language];
    switch (intent) {
      case 'help':
        return say(language, intent, [...notices, s.help]);
      case 'thanks':
        return say(language, intent, [...notices, s.thanks]);
      case 'switch_language': {
        const target = turn.target ?? LANGUAGES.find((l) => LANGUAGE_NAMES[l].test(text)) ?? language;
        const t = STRINGS[target];
        if (!context || !holdsAnswer(context)) {
          await this.save(message.thread, { language: target, entries: [], focusCause: 0, suggestions: [] });
          return say(target, intent, [t.help]);
        }
        const next = { ...context, language: target };
        await this.save(message.thread, next);
        const again = this.replay(next, target);
        return finish({ ...again, intent, lead: [t.switched, ...again.lead] });
      }
      case 'explain_step':
      case 'more_causes':
      case 'not_resolved': {
        if (!context || context.entries.length === 0) return say(language, intent, [...notices, s.noContext]);
        const answer = this.followUp(intent, text, context, language);
        await this.save(message.thread, { ...context, language, focusCause: answer.focusCause });
        return finish({ ...answer.answer, lead: [...notices, ...answer.answer.lead] });
      }
      case 'diagnose':
      default:
        return this.diagnose(turn);
    }
  }

  /** A paste or a question: the entries it is about, or candidates, or a plain "not found". */
  private async diagnose({ rec, text, message, context, language, notices }: Turn): Promise<Answer> {
    const s = STRINGS[language];
    const picked = this.pickFromSuggestions(text, context);
    const decision = picked ? { answer: [picked], suggest: [] as Candidate[] } : decide(rec.candidates, rec.product);

    if (decision.answer.length > 0) {
      const matches = decision.answer.map((c) => matchView(c.entry, language, c.score));
      const lead = [...notices];
      if (matches.length > 1) lead.push(s.moreErrors(matches.length));
      const tail: string[] = [];
      const first = matches[0];
      if (matches.length === 1 && first && first.causes.length > 1 && first.focusCause !== undefined) {
        tail.push(s.otherCauses(first.causes.length - 1));
      }
      await this.save(message.thread, {
        language,
        entries: decision.answer.map((c) => ({ id: c.entry.id, confidence: c.score })),
        focusCause: 0,
        suggestions: [],
      });
      return finish({ language, intent: 'diagnose', lead, matches, suggestions: [], tail });
    }

    if (decision.suggest.length > 0) {
      const suggestions: Suggestion[] = decision.suggest.map((c) => ({
        id: c.entry.id,
        title: c.entry.locales[language].title,
        product: c.entry.product,
        confidence: Math.round(Math.min(1, c.score) * 100) / 100,
      }));
      await this.save(message.thread, {
        language,
        entries: context?.entries ?? [],
        focusCause: context?.focusCause ?? 0,
        suggestions: decision.suggest.map((c) => ({ id: c.entry.id, confidence: c.score })),
      });
      return finish({ language, intent: 'diagnose', lead: [...notices, s.didYouMean], matches: [], suggestions, tail: [] });
    }

    const lead = [...notices, s.noMatch];
    const checklist = rec.product ? this.basicChecklist(rec.product, language) : undefined;
    if (checklist) lead.push(s.noMatchChecklist(s.product[rec.product!]), checklist);
    else lead.push(s.noMatchHelp);
    return say(language, 'diagnose', lead);
  }

  private followUp(
    intent: 'explain_step' | 'more_causes' | 'not_resolved',
    text: string,
    context: ThreadContext,
    language: Language,
  ): { answer: Omit<Answer, 'text'>; focusCause: number } {
    const s = STRINGS[language];
    const focus = context.entries[0]!;
    const entry = this.index.entries.get(focus.id);
    if (!entry) return { answer: sentences(language, intent, [s.noContext]), focusCause: 0 };
    const base = matchView(entry, language, focus.confidence, context.focusCause);

    if (intent === 'explain_step') {
      const n = stepNumber(text);
      const total = base.steps.length;
      if (n === undefined) return { answer: sentences(language, intent, [s.whichStep(total)]), focusCause: context.focusCause };
      const step = base.steps[n - 1];
      if (!step) return { answer: sentences(language, intent, [s.noSuchStep(n, total)]), focusCause: context.focusCause };
      const cause = base.focusCause !== undefined ? base.causes[base.focusCause] : undefined;
      const lead = [`*${s.explainStep(n, total)}* · ${base.title}`];
      if (cause) lead.push(s.stepPartOfCause(cause.cause));
      if (cause?.detail) lead.push(cause.detail);
      lead.push('', step.text);
      if (step.substeps.length || step.code) {
        lead.push('', s.stepDetail);
        step.substeps.forEach((sub, i) => {
          lead.push(`${String.fromCharCode(97 + i)}) ${sub.text}`);
          if (sub.code) lead.push('```', sub.code.trimEnd(), '```');
        });
        if (step.code) lead.push('```', step.code.trimEnd(), '```');
      }
      for (const note of base.notes) lead.push('', `${s.notes}: ${note}`);
      lead.push('', `${s.article}: ${base.url}`);
      return { answer: sentences(language, intent, [lead.join('\n')]), focusCause: context.focusCause };
    }

    if (intent === 'more_causes') {
      const all = matchView(entry, language, focus.confidence, context.focusCause);
      return { answer: { language, intent, lead: [s.allCauses], matches: [all], suggestions: [], tail: [] }, focusCause: context.focusCause };
    }

    // not_resolved: the next cause, and after the last one the product's checklist and the article.
    const next = context.focusCause + 1;
    if (base.focusCause !== undefined && next < base.causes.length) {
      const view = matchView(entry, language, focus.confidence, next);
      return {
        answer: { language, intent, lead: [s.nextCause(next + 1, base.causes.length)], matches: [view], suggestions: [], tail: [] },
        focusCause: next,
      };
    }
    const checklist = this.basicChecklist(entry.product, language);
    const tail = [s.stillFailingChecklist(s.product[entry.product])];
    if (checklist) tail.push(checklist);
    tail.push(`${s.article}: ${base.url}`);
    return { answer: sentences(language, intent, [s.noMoreCauses], tail), focusCause: context.focusCause };
  }

  /** The last answer of a thread, shown again (in another language). */
  private replay(context: ThreadContext, language: Language): Omit<Answer, 'text' | 'intent'> {
    const matches: MatchView[] = [];
    context.entries.forEach((e, i) => {
      const entry = this.index.entries.get(e.id);
      if (entry) matches.push(matchView(entry, language, e.confidence, i === 0 ? context.focusCause : 0));
    });
    const suggestions: Suggestion[] = [];
    if (matches.length === 0) {
      for (const sug of context.suggestions) {
        const entry = this.index.entries.get(sug.id);
        if (entry) suggestions.push({ id: entry.id, title: entry.locales[language].title, product: entry.product, confidence: Math.round(Math.min(1, sug.confidence) * 100) / 100 });
      }
    }
    const lead = suggestions.length ? [STRINGS[language].didYouMean] : [];
    return { language, lead, matches, suggestions, tail: [] };
  }

  private basicChecklist(product: Product, language: Language): string | undefined {
    const guide = this.index.entries.get(`${product}/basic-troubleshooting`);
    if (!guide) return undefined;
    const view = matchView(guide, language, 1);
    return [...view.steps.map((step, i) => `${i + 1}. ${step.text}`), `${STRINGS[language].article}: ${view.url}`].join('\n');
  }

  private pickFromSuggestions(text: string, context: ThreadContext | undefined): Candidate | undefined {
    const m = /^#?(\d)(?:\s*[.)])?$/u.exec(text.trim());
    if (!m || !context?.suggestions.length) return undefined;
    const chosen = context.suggestions[Number(m[1]) - 1];
    const entry = chosen && this.index.entries.get(chosen.id);
    return entry ? { entry, score: chosen.confidence, via: 'text' } : undefined;
  }

  /** Which intent a message has, given what the thread knows. A clear paste is always a diagnosis. */
  private intentOf(text: string, rec: Recognition, context: ThreadContext | undefined): Intent {
    const top = rec.candidates[0];
    if (top && (top.via === 'code' || top.via === 'code-typo' || (top.via === 'text' && top.score >= STRONG))) return 'diagnose';
    if (context?.suggestions.length && /^#?\d(?:\s*[.)])?$/u.test(text.trim())) return 'diagnose';
    const words = rec.tokens.length;
    if (words <= 8 && LANGUAGES.some((l) => LANGUAGE_NAMES[l].test(text)) && !(top && top.score >= ANSWER)) return 'switch_language';
    if (words <= 14 && (STEP_WORD.test(text) || (context && /^\d(?:\s*\?)?$/u.test(text.trim()))) && !(top && top.score >= ANSWER)) {
      return 'explain_step';
    }
    // A follow-up is a short message; a long one is a paste, and classifying it only costs time.
    if (words > FOLLOW_UP_WORDS) return 'diagnose';
    const [best] = this.classifier.classify(text);
    if (!best || best.intent === 'diagnose' || best.confidence < INTENT_CONFIDENCE) return 'diagnose';
    const evidence = top?.score ?? 0;
    if (evidence >= CLEAR_ANSWER && best.intent !== 'thanks' && best.intent !== 'not_resolved') return 'diagnose';
    // A follow-up needs an answer to follow: without one, a message that fits entries is a question.
    const followUp = best.intent === 'explain_step' || best.intent === 'more_causes' || best.intent === 'not_resolved';
    if (followUp && !context?.entries.length && evidence >= SUGGEST) return 'diagnose';
    return best.intent;
  }

  private async load(thread: string): Promise<ThreadContext | undefined> {
    try {
      return await this.store.get(thread);
    } catch (error) {
      this.logger?.warn({ err: errorName(error) }, 'context store read failed; answering without thread context');
      return undefined;
    }
  }

  private async save(thread: string, context: ThreadContext): Promise<void> {
    try {
      await this.store.set(thread, context);
    } catch (error) {
      this.logger?.warn({ err: errorName(error) }, 'context store write failed; the answer is sent without saving context');
    }
  }

}

function finish(answer: Omit<Answer, 'text'>): Answer {
  return { ...answer, text: renderText(answer) };
}

/** An answer that is only sentences: no match, no suggestion. */
function sentences(language: Language, intent: Intent, lead: string[], tail: string[] = []): Omit<Answer, 'text'> {
  return { language, intent, lead, matches: [], suggestions: [], tail };
}

function say(language: Language, intent: Intent, lead: string[], tail: string[] = []): Answer {
  return finish(sentences(language, intent, lead, tail));
}

function errorName(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

function stepNumber(text: string): number | undefined {
  const digit = /\b(?:step|stap|steg)\s*(?:#\s*)?(\d{1,2})\b|\b(\d{1,2})(?:st|nd|rd|th|e|de|a)?\s*(?:step|stap|steg)\b|^(\d{1,2})(?:\s*\?)?$/iu.exec(text.trim());
  const n = digit?.[1] ?? digit?.[2] ?? digit?.[3];
  if (n) return Number(n);
  const ordinal = ORDINAL_WORD.exec(text.toLowerCase());
  return ordinal?.[1] ? ORDINALS[ordinal[1]] : undefined;
}

/** Chooses what to answer: one entry, several distinct errors, or candidates to offer. */
export function decide(all: Candidate[], product?: Product): { answer: Candidate[]; suggest: Candidate[] } {
  let candidates = all;
  const first = candidates[0];
  if (!first) return { answer: [], suggest: [] };
  // The same error in two articles (twins): the product the message is about decides, and without
  // one the message is ambiguous, however slightly the two texts differ.
  const twin = candidates.find((c) => c !== first && isTwin(first, c) && first.score - c.score < TWIN_GAP);
  if (twin) {
    // Without a product, a paste that holds all of one twin's message and more of it than the
    // other's (a word only one article's wording has) is that twin's.
    const fuller = (first.matched ?? 0) > (twin.matched ?? 0) ? first : (twin.matched ?? 0) > (first.matched ?? 0) ? twin : undefined;
    const bothPasted = first.field?.kind === 'message' && twin.field?.kind === 'message' && Math.min(first.score, twin.score) >= STRONG;
    const exact = bothPasted ? fuller : undefined;
    const chosen = [first, twin].find((c) => c.entry.product === product) ?? exact;
    if (chosen) candidates = [{ ...chosen, score: Math.max(first.score, chosen.score) }, ...candidates.filter((c) => c !== first && c !== twin)];
    else if (first.score >= SUGGEST) return { answer: [], suggest: [first, twin] };
  }
  const top = candidates[0]!;

  // Group the strong candidates by the evidence behind them: the same code, or overlapping text,
  // is one pasted error with alternatives; different evidence is another error in the same paste.
  const groups: Candidate[][] = [];
  for (const c of candidates) {
    if (c.score < STRONG) break;
    if (c.via === 'question') continue; // a question's words are not a pasted error
    const group = groups.find((g) => sameEvidence(g[0]!, c));
    if (group) group.push(c);
    else if (groups.length < MAX_ERRORS) groups.push([c]);
  }

  if (groups.length > 0) {
    const leaders: Candidate[] = [];
    for (const g of groups) {
      const [leader, runnerUp] = g;
      if (runnerUp && leader!.score - runnerUp.score < TIE) {
        if (groups.length === 1) return { answer: [], suggest: g.slice(0, MAX_SUGGESTIONS) };
        continue; // an ambiguous error among clear ones: leave it out rather than guess
      }
      leaders.push(leader!);
    }
    return { answer: leaders, suggest: [] };
  }

  const second = candidates.find((c) => c.entry.id !== top.entry.id);
  const lead = top.score - (second?.score ?? 0);
  if (top.score >= ANSWER && lead >= MARGIN) return { answer: [top], suggest: [] };
  if (top.via === 'question' && top.score >= CLEAR_ANSWER && lead >= CLEAR_MARGIN) return { answer: [top], suggest: [] };
  const suggestFrom = top.via === 'question' ? SUGGEST_QUESTION : SUGGEST;
  if (top.score >= suggestFrom) {
    const floor = Math.max(suggestFrom, top.score - 0.15);
    return { answer: [], suggest: candidates.filter((c) => c.score >= floor).slice(0, MAX_SUGGESTIONS) };
  }
  return { answer: [], suggest: [] };
}

/** An earlier answer or "did you mean" in the thread, which follow-ups and buttons refer to. */
function holdsAnswer(context: ThreadContext): boolean {
  return context.entries.length > 0 || context.suggestions.length > 0;
}

function isTwin(a: Candidate, b: Candidate): boolean {
  return a.entry.product !== b.entry.product && a.entry.locales.en.title === b.entry.locales.en.title;
}

function sameEvidence(a: Candidate, b: Candidate): boolean {
  if (a.entry.id === b.entry.id) return true;
  const sharedCode = a.entry.codes.some((code) => b.entry.codes.some((other) => other.toLowerCase() === code.toLowerCase()));
  if ((a.via !== 'text' || b.via !== 'text') && sharedCode) return true;
  if (a.field && b.field) {
    const [small, large] = a.field.words.size <= b.field.words.size ? [a.field.words, b.field.words] : [b.field.words, a.field.words];
    let shared = 0;
    for (const w of small) if (large.has(w)) shared += 1;
    return shared / Math.max(1, small.size) >= 0.6;
  }
  return false;
}

