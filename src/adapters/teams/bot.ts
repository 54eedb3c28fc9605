import { ActivityTypes, CardFactory, MessageFactory, TeamsActivityHandler, TurnContext, type MessagingExtensionAction, type MessagingExtensionActionResponse } from 'botbuilder';
import type { Answer, MessageAction } from '../../core/answer/model.ts';
import type { Engine } from '../../core/engine.ts';
import { STRINGS } from '../../core/i18n/strings.ts';
import { LANGUAGES, type Language } from '../../core/knowledge/schema.ts';
import { languageFromLocale } from '../../core/language/detect.ts';
import type { Logger } from '../../server/logger.ts';
import { backoff, RETRY_BUDGET_MS, sleep, type Sleep } from '../../server/retry.ts';
import { renderCard, type CardAction } from './card.ts';

/** The message extension command of the manifest ("Diagnose this message"). */
export const DIAGNOSE_COMMAND = 'diagnoseMessage';
/** The command menu entries of the manifest's commandLists. */
export const COMMANDS = ['diagnose', 'help', 'language'] as const;

/** Teams allows 7 messages per second per conversation. */
const MIN_GAP_MS = Math.ceil(1000 / 7);
/** Statuses that mean the reply was refused, not posted: a retry can't post it twice. */
const RETRY_STATUS = new Set([412, 429, 500, 502, 503, 504]);

export interface SenderOptions {
  sleep?: Sleep;
  /** The most time one reply may take, its retries and waits included. */
  budgetMs?: number;
}

/**
 * Sends one conversation's replies at most 7 a second, in order, and retries a send that Teams
 * refused (412, 429, 5xx) with backoff or its Retry-After, within a total budget. A refused send
 * posted nothing, so a retry never posts a reply twice; a send that timed out may have been
 * posted, so it is not retried. A reply finally lost is logged with its conversation and message.
 */
export class Sender {
  /** Per conversation: the end of its queue of sends, and when it last sent. */
  readonly #queue = new Map<string, Promise<void>>();
  readonly #lastSent = new Map<string, number>();
  readonly #sleep: Sleep;
  readonly #budgetMs: number;

  constructor(
    private readonly logger: Logger,
    options: SenderOptions = {},
  ) {
    this.#sleep = options.sleep ?? sleep;
    this.#budgetMs = options.budgetMs ?? RETRY_BUDGET_MS;
  }

  /** Sends one reply; false when it was lost (and logged). */
  async send(context: TurnContext, activity: Parameters<TurnContext['sendActivity']>[0]): Promise<boolean> {
    const key = context.activity.conversation?.id ?? '';
    const turn = (this.#queue.get(key) ?? Promise.resolve()).then(async () => {
      const wait = (this.#lastSent.get(key) ?? 0) + MIN_GAP_MS - Date.now();
      if (wait > 0) await sleep(wait);
      try {
        await this.#withRetry(() => context.sendActivity(activity));
      } finally {
        this.#lastSent.set(key, Date.now());
      }
    });
    const settled = turn.catch(() => undefined);
    this.#queue.set(key, settled);
    try {
      await turn;
      return true;
    } catch (error) {
      const e = error as { statusCode?: number; name?: string };
      this.logger.error(
        { conversation: key, thread: key, messageId: context.activity.id, status: e.statusCode, err: error },
        'reply lost: Teams did not take it',
      );
      return false;
    } finally {
      if (this.#queue.get(key) === settled) this.#queue.delete(key);
      this.#forgetIdle();
    }
  }

  /** Conversations that sent nothing for a while need no entry. */
  #forgetIdle(): void {
    if (this.#lastSent.size < 1000) return;
    const before = Date.now() - MIN_GAP_MS;
    for (const [key, at] of this.#lastSent) if (at < before && !this.#queue.has(key)) this.#lastSent.delete(key);
  }

  async #withRetry(fn: () => Promise<unknown>): Promise<void> {
    const deadline = Date.now() + this.#budgetMs;
    for (let attempt = 1; ; attempt += 1) {
      try {
        await fn();
        return;
      } catch (error) {
        const e = error as { statusCode?: number; response?: { headers?: { get?: (n: string) => string | undefined } } };
        const status = e.statusCode;
        if (!status || !RETRY_STATUS.has(status)) throw error;
        const retryAfter = Number(e.response?.headers?.get?.('retry-after'));
        const wait = Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : backoff(attempt, 250);
        if (Date.now() + wait > deadline) throw error;
        this.logger.warn({ status, attempt, wait }, 'Teams refused a reply; retrying');
        await this.#sleep(wait);
      }
    }
  }
}

/** The conversation (and, in a channel, the thread: Teams puts ";messageid=" in its id) a reply belongs to. */
function threadKey(context: TurnContext): string {
  return `teams:${context.activity.conversation?.id ?? ''}`;
}

function asAction(value: unknown): CardAction | undefined {
  const v = value as Partial<CardAction> | undefined;
  if (!v || typeof v !== 'object' || typeof v.action !== 'string') return undefined;
  if (v.action === 'more_causes') return { action: 'more_causes' };
  if (v.action === 'language' && LANGUAGES.includes((v as { language: Language }).language)) return { action: 'language', language: (v as { language: Language }).language };
  if (v.action === 'pick' && Number.isInteger((v as { index: number }).index)) return { action: 'pick', index: (v as { index: number }).index };
  if (v.action === 'feedback') {
    const f = v as { value?: string; entry?: string };
    return { action: 'feedback', value: f.value === 'down' ? 'down' : 'up', entry: typeof f.entry === 'string' ? f.entry : '' };
  }
  return undefined;
}

/** The command menu's "diagnose <text>" is a paste; "language" without a language is a request for help. */
function fromCommand(text: string): string {
  if (/^\s*language\s*$/iu.test(text)) return 'help';
  const m = /^\s*diagnose\b[:\s]*/iu.exec(text);
  return m ? text.slice(m[0].length) : text;
}

export function answerActivity(answer: Answer) {
  const activity = MessageFactory.attachment(CardFactory.adaptiveCard(renderCard(answer)));
  activity.summary = answer.matches[0]?.title ?? answer.lead[0] ?? '';
  activity.locale = answer.language;
  return activity;
}

/** The bot: Teams activities in, engine answers out as Adaptive Cards. */
export class TriageBot extends TeamsActivityHandler {
  constructor(
    private readonly engine: Engine,
    private readonly sender: Sender,
    private readonly logger: Logger,
  ) {
    super();
    this.onMessage(async (context, next) => {
      await this.message(context);
      await next();
    });
  }

  private async message(context: TurnContext): Promise<void> {
    const activity = context.activity;
    const user = activity.from?.aadObjectId ?? activity.from?.id ?? '';
    const base = { thread: threadKey(context), user, ...(activity.locale ? { locale: activity.locale } : {}) };
    const pressed = asAction(activity.value);
    if (pressed?.action === 'feedback') {
      this.logger.info({ feedback: pressed.value, entry: pressed.entry }, 'feedback');
      const language = (await this.engine.threadLanguage(base.thread)) ?? languageFromLocale(activity.locale) ?? 'en';
      await this.sender.send(context, MessageFactory.text(STRINGS[language].feedbackThanks));
      return;
    }
    const action: MessageAction | undefined =
      pressed?.action === 'more_causes' ? { type: 'more_causes' }
      : pressed?.action === 'language' ? { type: 'language', language: pressed.language }
      : pressed?.action === 'pick' ? { type: 'pick', index: pressed.index }
      : undefined;
    const text = action ? '' : fromCommand(TurnContext.removeRecipientMention(activity) ?? activity.text ?? '');
    const started = Date.now();
    const answer = await this.engine.handle({ ...base, text, ...(action ? { action } : {}) });
    if (!(await this.sender.send(context, answerActivity(answer)))) return;
    this.logger.info(
      { conversation: base.thread, intent: answer.intent, language: answer.language, matches: answer.matches.map((m) => m.id), ms: Date.now() - started, text },
      'answered',
    );
  }

  /** "Diagnose this message": the answer card in a dialog, for the person who asked. */
  protected override async handleTeamsMessagingExtensionSubmitAction(context: TurnContext, action: MessagingExtensionAction): Promise<MessagingExtensionActionResponse> {
    // The message's HTML body as is: the engine's clean-up removes Teams markup and entities.
    const content: unknown = action.messagePayload?.body?.content;
    const text = typeof content === 'string' ? content : '';
    const user = context.activity.from?.aadObjectId ?? context.activity.from?.id ?? '';
    const thread = `${threadKey(context)}:extension:${action.messagePayload?.id ?? ''}`;
    const answer = await this.engine.handle({ text, thread, user, ...(context.activity.locale ? { locale: context.activity.locale } : {}) });
    return { task: { type: 'continue', value: { title: answer.matches[0]?.title ?? 'backup-triage', card: CardFactory.adaptiveCard(renderCard(answer)) } } } as MessagingExtensionActionResponse;
  }

  protected override async onInvokeActivity(context: TurnContext) {
    if (context.activity.type === ActivityTypes.Invoke && context.activity.name === 'composeExtension/submitAction' && (context.activity.value as { commandId?: string })?.commandId !== DIAGNOSE_COMMAND) {
      return { status: 400, body: { error: 'unknown command' } };
    }
    return super.onInvokeActivity(context);
  }
}
