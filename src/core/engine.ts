import type { Action } from './answer/actions.ts';
import type { Answer, IncomingMessage, Mode, ThreadContext } from './answer/model.ts';
import { sentences } from './dialogue/compose.ts';
import { decide, decideRanked, inPasteOrder, ruleOf } from './dialogue/decision.ts';
import { intentClassifier, trainIntentModel, type IntentClassifier, type IntentFile, type IntentModel } from './dialogue/intents.ts';
import { Replies, type ReplyInput } from './dialogue/replies.ts';
import { route, worthSaying, type Route } from './dialogue/routing.ts';
import { emptyContext, holdsAnswer, replyLanguage, Threads } from './dialogue/thread.ts';
import { compileVocabulary, type Vocabulary, type VocabularyFile } from './dialogue/vocabulary.ts';
import { STRINGS } from './i18n/strings.ts';
import type { KnowledgeBase } from './knowledge/load.ts';
import type { Entry } from './knowledge/schema.ts';
import { languageFromLocale } from './language/detect.ts';
import type { ContextStore, EngineLogger } from './ports.ts';
import { buildBm25, type Bm25Index } from './recognise/bm25.ts';
import { buildIndex, type SearchIndex } from './recognise/index.ts';
import { namedProduct } from './recognise/product.ts';
import { rank, type Model } from './recognise/ranker.ts';
import { recognise, type Recognition } from './recognise/recognise.ts';
import { cleanInput, MAX_INPUT_CHARS } from './text/clean.ts';

export type { ThreadContext } from './answer/model.ts';
export type { EngineLogger } from './ports.ts';

export interface Sources {
  knowledge: KnowledgeBase;
  intents: IntentFile[];
  vocabulary: VocabularyFile;
  /** The learned ranker (model/ranker.json). */
  model: Model;
}

/**
 * What start-up would otherwise compute from the sources: the search indexes, the trained intent
 * classifier, the vocabulary and the ranker. Plain data, so that a build can store it.
 */
export interface Prepared {
  index: SearchIndex;
  bm25: Bm25Index;
  model: Model;
  intents: IntentModel;
  vocabulary: VocabularyFile;
}

export interface EngineOptions {
  prepared: Prepared;
  store: ContextStore<ThreadContext>;
  logger?: EngineLogger;
}

export interface HandleOptions {
  /** How the message reached the bot; `direct` by default. */
  mode?: Mode;
}

export interface Engine {
  /**
   * Answers one message (or button) in its thread, and remembers what the thread needs for the
   * next one. The answer is `silent` when the mode says the bot should not reply.
   */
  handle(message: IncomingMessage, options?: HandleOptions): Promise<Answer>;
  /** Remembers an answer's context under another thread: an answer posted as a thread's first message. */
  remember(thread: string, answer: Answer): Promise<void>;
}

export function prepare(sources: Sources): Prepared {
  return {
    index: buildIndex(sources.knowledge.entries),
    bm25: buildBm25(sources.knowledge.entries),
    model: sources.model,
    intents: trainIntentModel(sources.intents),
    vocabulary: sources.vocabulary,
  };
}

export function createEngine({ prepared, store, logger }: EngineOptions): Engine {
  return new DialogueEngine(
    prepared.index,
    prepared.bm25,
    prepared.model,
    intentClassifier(prepared.intents),
    compileVocabulary(prepared.vocabulary),
    new Threads(store, logger),
  );
}

const SILENT: Omit<Answer, 'language'> = { kind: 'diagnose', matches: [], suggestions: [], blocks: [], buttons: [], silent: true, sure: false };

/** One turn: clean the text, read the thread, recognise, route, reply, remember. */
class DialogueEngine implements Engine {
  private readonly replies: Replies;

  constructor(
    private readonly index: SearchIndex,
    private readonly bm25: Bm25Index,
    private readonly model: Model,
    private readonly classifier: IntentClassifier,
    private readonly vocabulary: Vocabulary,
    private readonly threads: Threads,
  ) {
    this.replies = new Replies(index.entries);
  }

  async handle(message: IncomingMessage, options: HandleOptions = {}): Promise<Answer> {
    const mode = options.mode ?? 'direct';
    const locale = languageFromLocale(message.locale);
    const context = mode === 'passive' ? undefined : await this.threads.load(message.thread);
    if (mode === 'thread' && !holdsAnswer(context)) return { ...SILENT, language: locale ?? 'en' };
    if (message.action) return this.finish(message.thread, this.act(message.action, context));

    // The adapters validate their payloads; a text of another type is still only an empty message.
    const cleaned = cleanInput(typeof message.text === 'string' ? message.text : '');
    if (cleaned.problem) {
      const language = locale ?? context?.language ?? 'en';
      if (mode === 'passive') return { ...SILENT, language };
      const s = STRINGS[language];
      return sentences(language, 'help', [{ empty: s.empty, binary: s.binary, 'no-text': s.noText }[cleaned.problem]]);
    }

    const rec = recognise(this.index, cleaned.text);
    const focus = context?.entries[0] ? this.index.entries.get(context.entries[0].id) : undefined;
    const suggestions = (context?.suggestions ?? []).flatMap((x) => this.index.entries.get(x.id) ?? []);
    const inThread = replyLanguage(rec, cleaned.text, locale, context, true, this.index.ownWords);
    const where = route({ text: cleaned.text, rec, focus, suggestions, language: inThread.language }, { vocabulary: this.vocabulary, classifier: this.classifier });
    const choice = where.kind === 'diagnose' ? replyLanguage(rec, cleaned.text, locale, context, false, this.index.ownWords) : inThread;
    const language = choice.language;
    const notices: string[] = [];
    if (choice.unsupported) notices.push(STRINGS.en.unsupportedLanguage);
    if (cleaned.truncated) notices.push(cleaned.window === 'errors' ? STRINGS[language].truncatedAround(MAX_INPUT_CHARS) : STRINGS[language].truncated(MAX_INPUT_CHARS));
    const input: ReplyInput = { context, language, notices };
    const answer = this.reply(where, input, rec, cleaned.text, focus);
    if (mode === 'passive' && !(answer.sure && answer.matches.length > 0)) return { ...SILENT, language };
    // A reply in a thread that isn't addressed to the bot may be people talking to each other:
    // the bot speaks up only when it has something to say.
    if (mode === 'thread' && !worthSaying(where, answer, rec.tokens.length)) return { ...SILENT, language };
    return this.finish(message.thread, answer);
  }

  async remember(thread: string, answer: Answer): Promise<void> {
    if (answer.context) await this.threads.save(thread, answer.context);
  }

  private async finish(thread: string, answer: Answer): Promise<Answer> {
    await this.remember(thread, answer);
    return answer;
  }

  private reply(where: Route, input: ReplyInput, rec: Recognition, text: string, focus: Entry | undefined): Answer {
    const { context, language, notices } = input;
    const s = STRINGS[language];
    switch (where.kind) {
      case 'help':
        return sentences(language, 'help', [...notices, s.help]);
      case 'thanks':
        return sentences(language, 'thanks', [...notices, s.thanks]);
      case 'pick': {
        const entry = this.index.entries.get(where.entry)!;
        const confidence = context?.suggestions.find((x) => x.id === entry.id)?.confidence ?? 0;
        return this.replies.answer(input, [{ entry, score: confidence, via: 'text' }], 'diagnose', [s.picked]);
      }
      case 'switch_language': {
        if (!holdsAnswer(context)) return sentences(where.to, 'switch_language', [STRINGS[where.to].help], emptyContext(where.to));
        return this.replies.replay({ ...input, notices: [] }, context, where.to, STRINGS[where.to].switched);
      }
      case 'explain_step':
      case 'not_resolved':
      case 'more_causes':
      case 'question': {
        if (!context || !focus) return sentences(language, where.kind, [...notices, s.noContext]);
        if (where.kind === 'explain_step') return this.replies.explainStep(input, context, focus, where.step);
        if (where.kind === 'not_resolved') return this.replies.notResolved(input, context, focus, where.tried);
        if (where.kind === 'more_causes') return this.replies.moreCauses(input, context, focus);
        return this.replies.question(input, context, focus, where.found);
      }
      case 'diagnose': {
        const rules = decide(rec.candidates, rec.product, rec.tokens);
        const decision = decideRanked(rules, rank(this.model, this.index, this.bm25, text, rec, ruleOf(rules)), this.model.thresholds, namedProduct(text));
        if (decision.answer.length > 0) return this.replies.answer(input, inPasteOrder(decision.answer, text), 'diagnose', [], decision.also);
        if (decision.suggest.length > 0) return this.replies.choices(input, decision.suggest);
        return this.replies.noMatch(input, rec.product);
      }
    }
  }

  /** A button under an answer: it acts on that answer's entries, in that answer's language. */
  private act(action: Action, context: ThreadContext | undefined): Answer {
    const input: ReplyInput = { context, language: action.language, notices: [] };
    const s = STRINGS[action.language];
    switch (action.type) {
      case 'feedback':
        return sentences(action.language, 'feedback', [s.feedbackThanks]);
      case 'pick': {
        const entry = this.index.entries.get(action.entry);
        if (!entry) return sentences(action.language, 'diagnose', [s.noContext]);
        const confidence = context?.suggestions.find((x) => x.id === entry.id)?.confidence ?? 0;
        return this.replies.answer(input, [{ entry, score: confidence, via: 'text' }], 'diagnose', [s.picked]);
      }
      case 'more_causes': {
        const entry = this.index.entries.get(action.entry);
        if (!entry) return sentences(action.language, 'more_causes', [s.noContext]);
        const known = context?.entries.find((e) => e.id === entry.id);
        const here: ThreadContext = { language: action.language, entries: [{ id: entry.id, confidence: known?.confidence ?? 0 }], cause: action.cause, tried: [], suggestions: [] };
        return this.replies.moreCauses(input, here, entry);
      }
      case 'language': {
        const t = STRINGS[action.to];
        const states = this.replies.states(
          action.entries.map((id) => ({ id, ...(confidenceIn(context, id) !== undefined ? { confidence: confidenceIn(context, id)! } : {}) })),
          action.cause,
          [],
        );
        if (states.length === 0) return sentences(action.to, 'switch_language', [t.noContext]);
        const next: ThreadContext = {
          language: action.to,
          entries: states.map((x) => ({ id: x.entry.id, confidence: x.confidence ?? 0 })),
          cause: action.cause,
          tried: [],
          suggestions: [],
        };
        return this.replies.shown({ ...input, language: action.to }, states, 'switch_language', [t.switched], next);
      }
    }
  }
}

function confidenceIn(context: ThreadContext | undefined, id: string): number | undefined {
  return context?.entries.find((e) => e.id === id)?.confidence;
}
