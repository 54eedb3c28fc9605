import { ActivityTypes, CardFactory, MessageFactory, TeamsActivityHandler, TurnContext, type MessagingExtensionAction, type MessagingExtensionActionResponse } from 'botbuilder';
import type { Action } from '../../core/answer/actions.ts';
import type { Answer } from '../../core/answer/model.ts';
import { markdown } from '../../core/answer/render-text.ts';
import type { Engine } from '../../core/engine.ts';
import type { Logger } from '../../server/logger.ts';
import type { Metrics } from '../../server/metrics.ts';
import { backoff, RETRY_BUDGET_MS, sleep, type Sleep } from '../../server/retry.ts';
import { runTurn, type TurnServices } from '../turn.ts';
import { actionFromValue, renderCard, spendAction, type AdaptiveCardJson, type CardOptions } from './card.ts';
import { isPrivateTurn, PRIVATE_BUTTON_DATA } from './targeted.ts';

/** The message extension command of the manifest ("Diagnose this message"). */
export const DIAGNOSE_COMMAND = 'diagnoseMessage';
/** The commands of the manifest's commandLists: the @mention command menu and the `/` menu. */
export const COMMANDS = ['diagnose', 'help', 'language'] as const;
/** The invokes of the message extension: its dialog opening (fetchTask), and a submit from that dialog. */
const EXTENSION_INVOKES = new Set(['composeExtension/fetchTask', 'composeExtension/submitAction']);

/** How long an activity id is remembered, so that a redelivery is not answered twice. */
const SEEN_TTL_MS = 60 * 60 * 1000;
/** Teams allows 7 messages per second per conversation. */
const MIN_GAP_MS = Math.ceil(1000 / 7);
/** Statuses that mean the reply was refused, not posted: a retry can't post it twice. */
const RETRY_STATUS = new Set([412, 429, 500, 502, 503, 504]);

export interface SenderOptions {
  sleep?: Sleep;
  /** The most time one reply may take, its retries and waits included. */
  budgetMs?: number;
  metrics?: Metrics;
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
  readonly #metrics: Metrics | undefined;

  constructor(
    private readonly logger: Logger,
    options: SenderOptions = {},
  ) {
    this.#sleep = options.sleep ?? sleep;
    this.#budgetMs = options.budgetMs ?? RETRY_BUDGET_MS;
    this.#metrics = options.metrics;
  }

  /** Sends one reply; false when it was lost (and logged), else the id Teams gave it (or true). */
  async send(context: TurnContext, activity: Parameters<TurnContext['sendActivity']>[0]): Promise<string | boolean> {
    const key = context.activity.conversation?.id ?? '';
    let id: string | undefined;
    const turn = (this.#queue.get(key) ?? Promise.resolve()).then(async () => {
      const wait = (this.#lastSent.get(key) ?? 0) + MIN_GAP_MS - Date.now();
      if (wait > 0) await sleep(wait);
      try {
        await this.#withRetry(async () => {
          id = (await context.sendActivity(activity))?.id;
        });
      } finally {
        this.#lastSent.set(key, Date.now());
      }
    });
    const settled = turn.catch(() => undefined);
    this.#queue.set(key, settled);
    try {
      await turn;
      return id ?? true;
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
        this.#metrics?.platformErrors.inc({ platform: 'teams', call: 'sendActivity' });
        if (!status || !RETRY_STATUS.has(status)) throw error;
        const retryAfter = Number(e.response?.headers?.get?.('retry-after'));
        const wait = Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : backoff(attempt, 250);
        if (Date.now() + wait > deadline) throw error;
        this.logger.warn({ status, attempt, wait }, 'Teams refused a reply; retrying');
        this.#metrics?.platformRetries.inc({ platform: 'teams', call: 'sendActivity' });
        await this.#sleep(wait);
      }
    }
  }
}

/** Who sent the activity: their Entra object id where Teams gives it. */
function userOf(context: TurnContext): string {
  return context.activity.from?.aadObjectId ?? context.activity.from?.id ?? '';
}

/**
 * The conversation (and, in a channel, the thread: Teams puts ";messageid=" in its id) a reply
 * belongs to. A private exchange (targeted messages) has a context of its own, per user: what was
 * said privately never becomes the context of the public thread, nor the other way round.
 */
function threadKey(context: TurnContext): string {
  const conversation = `teams:${context.activity.conversation?.id ?? ''}`;
  return isPrivateTurn(context.activity) ? `${conversation}:private:${userOf(context)}` : conversation;
}

/**
 * The command menus' "diagnose <text>" is a paste; "language" without a language is a request for
 * help. A command may come with its slash ("/diagnose …"), as typed where there is no `/` menu.
 */
function fromCommand(text: string): string {
  const command = text.replace(/^\s*\/(?=(?:diagnose|help|language)\b)/iu, '');
  if (/^\s*language\s*$/iu.test(command)) return 'help';
  const m = /^\s*diagnose\b[:\s]*/iu.exec(command);
  return m ? command.slice(m[0].length) : command;
}

/** An answer as Teams shows it: sentences only as a text message, anything richer as an Adaptive Card. */
export function answerActivity(answer: Answer, options: CardOptions = {}) {
  const onlyWords = answer.buttons.length === 0 && answer.blocks.every((b) => b.type === 'notice');
  const activity = onlyWords
    ? MessageFactory.text(answer.blocks.map((b) => (b.type === 'notice' ? markdown(b.text) : '')).join('\n\n'))
    : MessageFactory.attachment(CardFactory.adaptiveCard(renderCard(answer, options)));
  if (!onlyWords) activity.summary = answer.matches[0]?.title ?? '';
  activity.locale = answer.language;
  return activity;
}

/** The cards the bot sent lately, by activity id, so that a card can be updated after a click. */
class Recent<T> {
  readonly #cards = new Map<string, T>();
  constructor(private readonly max: number) {}

  get(id: string): T | undefined {
    return this.#cards.get(id);
  }

  set(id: string, card: T): void {
    this.#cards.delete(id);
    this.#cards.set(id, card);
    while (this.#cards.size > this.max) this.#cards.delete(this.#cards.keys().next().value!);
  }
}

/** The card a "Diagnose this message" dialog shows, and its title. */
interface Dialog {
  title: string;
  card: AdaptiveCardJson;
}

/** The dialog title's limit (the manifest's taskInfo.title has the same). */
const DIALOG_TITLE_CHARS = 64;

/** The text of the message "Diagnose this message" was used on: its HTML body as is (the engine's clean-up removes Teams markup and entities). */
function messageText(action: MessagingExtensionAction): string {
  const content: unknown = action.messagePayload?.body?.content;
  return typeof content === 'string' ? content : '';
}

/** The bot: Teams activities in, engine answers out as Adaptive Cards. */
export class TriageBot extends TeamsActivityHandler {
  readonly #cards = new Recent<AdaptiveCardJson>(2000);
  /** Cards whose feedback was given but that could not be updated: thanked once, not again. */
  readonly #thanked = new Recent<true>(5000);
  /** The card each "Diagnose this message" dialog shows, by conversation and user. */
  readonly #dialogs = new Recent<Dialog>(2000);

  private readonly logger: Logger;

  constructor(
    private readonly engine: Engine,
    private readonly sender: Sender,
    private readonly services: TurnServices,
  ) {
    super();
    this.logger = services.logger;
    this.onMessage(async (context, next) => {
      await this.message(context);
      await next();
    });
  }

  /**
   * A message (an @mention in a channel, a chat message, a command from either menu) or a card
   * button's click. A targeted message (the `/` menu in a channel or group chat) is answered
   * privately: the adapter sends the turn's replies as targeted messages, and the card's buttons
   * say so, so that their clicks are answered privately too.
   */
  private async message(context: TurnContext): Promise<void> {
    const activity = context.activity;
    const user = userOf(context);
    const thread = threadKey(context);
    const options: CardOptions = isPrivateTurn(activity) ? { buttonData: PRIVATE_BUTTON_DATA } : {};
    const action = activity.value === undefined ? undefined : actionFromValue(activity.value);
    const text = action ? '' : fromCommand(TurnContext.removeRecipientMention(activity) ?? activity.text ?? '');
    // An activity delivered again (to this instance or another one sharing the store) is answered once.
    if (activity.id && this.services.store && !(await this.services.store.claim('seen', `${thread}:${activity.id}`, SEEN_TTL_MS))) {
      this.services.metrics?.duplicates.inc({ platform: 'teams' });
      return;
    }
    await runTurn(this.engine, this.services, 'teams', {
      message: { text, thread, user, ...(activity.locale ? { locale: activity.locale } : {}), ...(action ? { action } : {}) },
      where: { conversation: thread, messageId: activity.id },
      send: async (answer) => {
        const reply = answerActivity(answer, options);
        const sent = await this.sender.send(context, reply);
        const card = reply.attachments?.[0]?.content as AdaptiveCardJson | undefined;
        if (typeof sent === 'string' && card) this.#cards.set(sent, card);
        return sent !== false;
      },
      spend: (pressed) => this.spend(context, pressed),
    });
  }

  /** Updates the card whose button was clicked; a card no longer known is thanked once instead. */
  private async spend(context: TurnContext, action: Action): Promise<boolean> {
    const id = context.activity.replyToId;
    if (!id) return false;
    const card = this.#cards.get(id);
    if (!card) {
      if (action.type !== 'feedback') return true;
      const key = `${id}:${context.activity.from?.id ?? ''}`;
      if (this.#thanked.get(key)) return true;
      this.#thanked.set(key, true);
      return false;
    }
    const updated = spendAction(card, action);
    try {
      await context.updateActivity({ id, type: ActivityTypes.Message, attachments: [CardFactory.adaptiveCard(updated)] });
      this.#cards.set(id, updated);
      return true;
    } catch (error) {
      this.logger.warn({ conversation: threadKey(context), err: error }, 'could not update the card whose button was used');
      return false;
    }
  }

  /**
   * "Diagnose this message" (the manifest's action, with `fetchTask: true`): Teams asks for the
   * dialog to open, and gets the answer card in it, for the person who asked only.
   */
  protected override async handleTeamsMessagingExtensionFetchTask(context: TurnContext, action: MessagingExtensionAction): Promise<MessagingExtensionActionResponse> {
    return this.dialog(context, action, { text: messageText(action) });
  }

  /**
   * A submit from the dialog: a click on one of its card's buttons. Its answer (the other causes,
   * another language, a "did you mean" pick) replaces the card in the dialog; 👍/👎 give way to a
   * thanks line on the card. A submit without a button of ours but with the message is what Teams
   * sends for an app installed from a package before `fetchTask` (no dialog first): that message is
   * diagnosed. Anything else closes the dialog.
   */
  protected override async handleTeamsMessagingExtensionSubmitAction(context: TurnContext, action: MessagingExtensionAction): Promise<MessagingExtensionActionResponse> {
    const pressed = actionFromValue(action.data);
    if (pressed) return this.dialog(context, action, { action: pressed });
    if (action.messagePayload) return this.dialog(context, action, { text: messageText(action) });
    return {};
  }

  /** The same turn as a message; what it would send goes into the dialog instead. */
  private async dialog(context: TurnContext, action: MessagingExtensionAction, input: { text: string } | { action: Action }): Promise<MessagingExtensionActionResponse> {
    const user = userOf(context);
    const thread = `${threadKey(context)}:extension:${action.messagePayload?.id ?? ''}`;
    // A user has one dialog open at a time: a submit comes from the one they opened last here.
    const key = `${threadKey(context)}\0${user}`;
    let shown: Dialog | undefined;
    await runTurn(this.engine, this.services, 'teams', {
      message: {
        text: 'text' in input ? input.text : '',
        thread,
        user,
        ...(context.activity.locale ? { locale: context.activity.locale } : {}),
        ...('action' in input ? { action: input.action } : {}),
      },
      where: { conversation: thread, messageId: context.activity.id },
      send: async (answer) => {
        shown = { title: answer.matches[0]?.title ?? 'backup-triage', card: renderCard(answer) };
        return true;
      },
      // 👍/👎 update the dialog's card; the new card of any other button replaces it anyway.
      spend: async (pressed) => {
        if (pressed.type !== 'feedback') return true;
        const open = this.#dialogs.get(key);
        if (!open) return false;
        shown = { ...open, card: spendAction(open.card, pressed) };
        return true;
      },
    });
    // Nothing to show (the engine is silent only in a mode a dialog doesn't use): the dialog closes.
    if (!shown) return {};
    this.#dialogs.set(key, shown);
    const title = shown.title.length > DIALOG_TITLE_CHARS ? `${shown.title.slice(0, DIALOG_TITLE_CHARS - 1)}…` : shown.title;
    return { task: { type: 'continue', value: { title, width: 'large', height: 'large', card: CardFactory.adaptiveCard(shown.card) } } };
  }

  protected override async onInvokeActivity(context: TurnContext) {
    const { type, name, value } = context.activity;
    if (type === ActivityTypes.Invoke && EXTENSION_INVOKES.has(name ?? '') && (value as { commandId?: string } | undefined)?.commandId !== DIAGNOSE_COMMAND) {
      return { status: 400, body: { error: 'unknown command' } };
    }
    return super.onInvokeActivity(context);
  }
}
