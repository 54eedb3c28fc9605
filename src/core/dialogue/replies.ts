import type { Answer, AnswerKind, Block, MatchRef, ThreadContext } from '../answer/model.ts';
import { plain, rich, stepItem } from '../answer/rich.ts';
import { STRINGS } from '../i18n/strings.ts';
import type { Entry, Language, Product } from '../knowledge/schema.ts';
import type { Candidate } from '../recognise/recognise.ts';
import {
  answerButtons,
  causeSteps,
  causesOf,
  causeTable,
  checklistBlocks,
  choicesAnswer,
  entryBlocks,
  focusCause,
  linkBlock,
  matchRef,
  noteBlocks,
  notice,
  sentences,
  titleBlocks,
  type EntryState,
} from './compose.ts';
import type { Found } from './passages.ts';
import { emptyContext } from './thread.ts';

/** What one reply starts from: the thread's context, its language, and notices to put first. */
export interface ReplyInput {
  context: ThreadContext | undefined;
  language: Language;
  notices: string[];
}

/** The answers the bot gives, one method per kind of reply; each says what the thread remembers next. */
export class Replies {
  constructor(private readonly entries: ReadonlyMap<string, Entry>) {}

  private guide(product: Product): Entry | undefined {
    return this.entries.get(`${product}/basic-troubleshooting`);
  }

  /** Entries answered outright: each whole, in the order given, the first cause's steps showing. */
  answer(input: ReplyInput, chosen: Candidate[], kind: AnswerKind = 'diagnose', lead: string[] = [], also?: Candidate): Answer {
    const { language } = input;
    const s = STRINGS[language];
    const states: EntryState[] = chosen.map((c) => ({ entry: c.entry, confidence: c.score, cause: 0, tried: [] }));
    const blocks: Block[] = [...input.notices, ...lead].map(notice);
    if (states.length > 1) blocks.push(notice(s.moreErrors(states.length)));
    states.forEach((state, i) => {
      if (i > 0) blocks.push({ type: 'divider' });
      blocks.push(...entryBlocks(state, language));
    });
    const first = states[0]!;
    const causes = causesOf(first.entry, language).length;
    if (states.length === 1 && causes > 1 && focusCause(first.entry, 0) !== undefined) blocks.push(notice(s.otherCauses(causes - 1)));
    const buttons = answerButtons(language, states);
    if (also && states.length === 1) {
      const title = also.entry.locales[language].title;
      blocks.push(notice(s.couldAlsoBe(title, s.product[also.entry.product])));
      buttons.unshift({ label: `${title} (${s.product[also.entry.product]})`, group: 'choices', action: { type: 'pick', language, entry: also.entry.id } });
    }
    return {
      language,
      kind,
      matches: states.map((x) => matchRef(x.entry, language, x.confidence, { ...(focusCause(x.entry, 0) !== undefined ? { cause: 0 } : {}) })),
      suggestions: [],
      blocks,
      buttons,
      silent: false,
      sure: chosen.every((c) => c.via !== 'question'),
      context: { language, entries: chosen.map((c) => ({ id: c.entry.id, confidence: c.score })), cause: 0, tried: [], suggestions: [] },
    };
  }

  /** "Did you mean": candidates to choose from; the thread keeps its earlier answer too. */
  choices(input: ReplyInput, candidates: Candidate[]): Answer {
    const { language, context } = input;
    const choice = choicesAnswer(language, candidates, input.notices.map(notice));
    return {
      language,
      kind: 'diagnose',
      matches: [],
      suggestions: choice.suggestions,
      blocks: choice.blocks,
      buttons: choice.buttons,
      silent: false,
      sure: false,
      context: { ...(context ?? emptyContext(language)), language, suggestions: candidates.map((c) => ({ id: c.entry.id, confidence: c.score })) },
    };
  }

  /** Nothing recognised: say so, with the product's checklist when the product is known. */
  noMatch(input: ReplyInput, product: Product | undefined): Answer {
    const { language } = input;
    const s = STRINGS[language];
    const checklist = product ? checklistBlocks(this.guide(product), language) : [];
    const blocks = [...input.notices, s.noMatch].map(notice);
    if (checklist.length) blocks.push(notice(s.noMatchChecklist(s.product[product!])), ...checklist);
    else blocks.push(notice(s.noMatchHelp));
    return { ...sentences(language, 'diagnose', []), blocks };
  }

  /** The answers of a thread's context (or its candidates) again, in another language. */
  replay(input: ReplyInput, context: ThreadContext, to: Language, lead: string): Answer {
    const next: ThreadContext = { ...context, language: to };
    const states = this.states(context.entries, context.cause, context.tried);
    if (states.length === 0) {
      const candidates = context.suggestions.flatMap((x) => {
        const entry = this.entries.get(x.id);
        return entry ? [{ entry, score: x.confidence, via: 'text' as const }] : [];
      });
      if (candidates.length === 0) return sentences(to, 'switch_language', [STRINGS[to].help], next);
      return { ...this.choices({ ...input, language: to, context: next, notices: [lead] }, candidates), kind: 'switch_language' };
    }
    return this.shown({ ...input, language: to }, states, 'switch_language', [lead], next);
  }

  /** Entries as a button's answer asked for them (another language, a pick). */
  shown(input: ReplyInput, states: EntryState[], kind: AnswerKind, lead: string[], context: ThreadContext): Answer {
    const { language } = input;
    const blocks: Block[] = [...input.notices, ...lead].map(notice);
    states.forEach((state, i) => {
      if (i > 0) blocks.push({ type: 'divider' });
      blocks.push(...entryBlocks(state, language));
    });
    return {
      language,
      kind,
      matches: states.map((x) => matchRef(x.entry, language, x.confidence, focusOf(x))),
      suggestions: [],
      blocks,
      buttons: answerButtons(language, states),
      silent: false,
      sure: false,
      context,
    };
  }

  /** The entries of a context (or a button) with their confidence from the context, if known. */
  states(ids: { id: string; confidence?: number }[], cause: number, tried: number[]): EntryState[] {
    return ids.flatMap((x, i) => {
      const entry = this.entries.get(x.id);
      return entry ? [{ entry, confidence: x.confidence, cause: i === 0 ? cause : 0, tried: i === 0 ? tried : [] }] : [];
    });
  }

  /** "What does step 2 mean?": the step quoted with its number, under its cause, with notes and the link. */
  explainStep(input: ReplyInput, context: ThreadContext, focus: Entry, step: number | 'last' | undefined): Answer {
    const { language } = input;
    const s = STRINGS[language];
    const cause = focusCause(focus, context.cause);
    const t = focus.locales[language];
    const steps = cause !== undefined ? (t.causes?.[cause]?.actions ?? []) : (t.steps ?? []);
    const n = step === 'last' ? steps.length : step;
    const item = n === undefined ? undefined : steps[n - 1];
    if (n === undefined || !item) {
      const say = n === undefined ? s.whichStep(steps.length) : s.noSuchStep(n, steps.length);
      const at = cause !== undefined ? { cause } : {};
      return this.about(input, 'explain_step', focus, context, [...input.notices, say].map(notice), at, { ...context, language });
    }
    const blocks: Block[] = [...input.notices, s.fromAnswer(t.title)].map(notice);
    if (cause !== undefined) {
      const c = t.causes![cause]!;
      blocks.push({ type: 'heading', level: 2, text: rich(s.causeHeading(cause + 1, t.causes!.length, c.cause)) });
      if (c.detail) blocks.push({ type: 'paragraph', text: rich(c.detail) });
    }
    blocks.push({ type: 'heading', level: 2, text: plain(s.explainStep(n, steps.length)) }, { type: 'steps', start: n, items: [stepItem(item)] });
    blocks.push(...noteBlocks(focus, language), linkBlock(focus, language));
    return this.about(input, 'explain_step', focus, context, blocks, { ...(cause !== undefined ? { cause } : {}), step: n }, { ...context, language });
  }

  /** "It still fails" (or "I already tried that"): the next cause not yet tried, then the checklist. */
  notResolved(input: ReplyInput, context: ThreadContext, focus: Entry, covered: number[]): Answer {
    const { language } = input;
    const s = STRINGS[language];
    const total = causesOf(focus, language).length;
    const current = focusCause(focus, context.cause);
    const tried = [...new Set([...context.tried, ...(current !== undefined ? [current] : []), ...covered])].sort((a, b) => a - b);
    const next = current === undefined ? undefined : [...Array(total).keys()].find((i) => !tried.includes(i));
    const lead = [...input.notices];
    const saidTried = covered.filter((i) => i !== current);
    if (saidTried.length) lead.push(s.skipped(saidTried.map((i) => i + 1)));
    if (next !== undefined) {
      const blocks: Block[] = [...lead, s.nextCause(next + 1, total)].map(notice);
      blocks.push(...titleBlocks(focus, language));
      const table = causeTable(focus, language, next, tried);
      if (table) blocks.push(table);
      blocks.push(...causeSteps(focus, language, next), linkBlock(focus, language));
      const state: ThreadContext = { ...context, language, cause: next, tried };
      const answer = this.about(input, 'not_resolved', focus, context, blocks, { cause: next }, state);
      return { ...answer, buttons: answerButtons(language, [{ entry: focus, confidence: undefined, cause: next, tried }]) };
    }
    const blocks: Block[] = [...lead, s.noMoreCauses, s.stillFailingChecklist(s.product[focus.product])].map(notice);
    blocks.push(...checklistBlocks(this.guide(focus.product), language), linkBlock(focus, language), notice(s.askForLogs));
    const state: ThreadContext = { ...context, language, tried };
    return this.about(input, 'not_resolved', focus, context, blocks, current !== undefined ? { cause: current } : {}, state);
  }

  /** "Other causes": the steps of every cause but the one showing, each under its own heading. */
  moreCauses(input: ReplyInput, context: ThreadContext, focus: Entry): Answer {
    const { language } = input;
    const s = STRINGS[language];
    const current = focusCause(focus, context.cause) ?? 0;
    const total = causesOf(focus, language).length;
    const blocks: Block[] = [...input.notices, s.allCauses].map(notice);
    blocks.push(...titleBlocks(focus, language));
    for (let i = 0; i < total; i += 1) if (i !== current) blocks.push(...causeSteps(focus, language, i));
    blocks.push(linkBlock(focus, language));
    const answer = this.about(input, 'more_causes', focus, context, blocks, { cause: current }, { ...context, language });
    // Every cause is showing now: no "Other causes" button again.
    return { ...answer, buttons: answerButtons(language, [{ entry: focus, confidence: undefined, cause: current, tried: [...Array(total).keys()] }]) };
  }

  /** A question about the entry in focus, answered from its own text, or "the answer doesn't say". */
  question(input: ReplyInput, context: ThreadContext, focus: Entry, found: Found[]): Answer {
    const { language } = input;
    const s = STRINGS[language];
    const t = focus.locales[language];
    const best = found[0];
    if (!best) {
      const blocks = [...input.notices, s.notInAnswer(t.title)].map(notice);
      blocks.push(linkBlock(focus, language));
      return this.about(input, 'question', focus, context, blocks, {}, { ...context, language });
    }
    const { passage } = best;
    const blocks: Block[] = [...input.notices, s.fromAnswer(t.title)].map(notice);
    const causes = t.causes ?? [];
    const c = passage.cause !== undefined ? causes[passage.cause] : undefined;
    if (c) blocks.push({ type: 'heading', level: 2, text: rich(s.causeHeading(passage.cause! + 1, causes.length, c.cause)) });
    if (passage.kind === 'cause' && c) {
      if (c.detail) blocks.push({ type: 'paragraph', text: rich(c.detail) });
      blocks.push({ type: 'steps', start: 1, items: c.actions.map(stepItem) });
    } else if (passage.kind === 'step') {
      const steps = c ? c.actions : (t.steps ?? []);
      const n = passage.step! + 1;
      blocks.push({ type: 'heading', level: 2, text: plain(s.quoteStep(n, steps.length)) }, { type: 'steps', start: n, items: [stepItem(steps[passage.step!]!)] });
    } else if (passage.kind === 'note') {
      blocks.push({ type: 'note', label: s.notes, text: rich(t.notes![passage.note!]!) });
    } else if (t.summary) {
      blocks.push({ type: 'paragraph', text: rich(t.summary) });
    }
    blocks.push(linkBlock(focus, language));
    const focusAt = {
      ...(passage.cause !== undefined ? { cause: passage.cause } : {}),
      ...(passage.step !== undefined ? { step: passage.step + 1 } : {}),
      ...(passage.note !== undefined ? { note: passage.note + 1 } : {}),
    };
    const state: ThreadContext = { ...context, language, ...(passage.cause !== undefined ? { cause: passage.cause } : {}) };
    return this.about(input, 'question', focus, context, blocks, focusAt, state);
  }

  /** A reply about one entry: it is listed in `matches` with its focus, and keeps the thread's buttons. */
  private about(input: ReplyInput, kind: AnswerKind, focus: Entry, context: ThreadContext, blocks: Block[], at: MatchRef['focus'], next: ThreadContext): Answer {
    const confidence = context.entries.find((e) => e.id === focus.id)?.confidence;
    const language = input.language;
    return {
      language,
      kind,
      matches: [matchRef(focus, language, confidence, at)],
      suggestions: [],
      blocks,
      buttons: answerButtons(language, [{ entry: focus, confidence, cause: next.cause, tried: next.tried }]).filter((b) => b.action.type !== 'more_causes'),
      silent: false,
      sure: false,
      context: next,
    };
  }
}

function focusOf(state: EntryState): MatchRef['focus'] {
  const cause = focusCause(state.entry, state.cause);
  return cause !== undefined ? { cause } : {};
}
