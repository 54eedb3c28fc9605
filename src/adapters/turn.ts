import type { Action } from '../core/answer/actions.ts';
import type { Answer, IncomingMessage, Mode } from '../core/answer/model.ts';
import { sentences } from '../core/dialogue/compose.ts';
import type { Engine } from '../core/engine.ts';
import { STRINGS } from '../core/i18n/strings.ts';
import { languageFromLocale } from '../core/language/detect.ts';
import { redact, type Logger } from '../server/logger.ts';
import type { Metrics } from '../server/metrics.ts';
import type { Channel, Outcome, Store } from '../store/store.ts';

export type Platform = Channel;

/** What a turn reports to: the log, and where the server has them, the metrics and the events log. */
export interface TurnServices {
  logger: Logger;
  metrics?: Metrics;
  /** The events log (feedback, picks, unanswered messages); a store that fails only loses the line. */
  store?: Store;
}

/** How an answer to a message counts in the metrics and the report. */
export function outcomeOf(answer: Answer): Outcome {
  if (answer.kind !== 'diagnose') return 'follow-up';
  if (answer.matches.length === 0) return answer.suggestions.length > 0 ? 'suggested' : 'no-match';
  return answer.matches.length === 1 && answer.buttons.some((b) => b.group === 'choices') ? 'could-also-be' : 'answered';
}

/** One message (or button click) as a platform adapter hands it over. */
export interface TurnRequest {
  message: IncomingMessage;
  mode?: Mode;
  /** Ids for the log lines (channel, thread, message): never the text. */
  where: Record<string, string | undefined>;
  /** Posts an answer; false when it was lost (the sender logs why). */
  send(answer: Answer): Promise<boolean>;
  /**
   * Updates the message that holds a clicked button, so that the button can't be used twice (👍/👎
   * become a thanks line). False when the platform can't, and the thanks is posted instead.
   */
  spend?(action: Action): Promise<boolean>;
}

/**
 * The one turn every platform runs: feedback is recorded and acknowledged, a message is answered
 * by the engine and sent, an engine failure gets a polite reply in the user's language, and each
 * outcome gets one log line.
 */
export async function runTurn(engine: Engine, services: TurnServices, platform: Platform, turn: TurnRequest): Promise<Answer | undefined> {
  const { logger, metrics, store } = services;
  const { message, where } = turn;
  const action = message.action;
  const record = (event: Parameters<Store['record']>[0]) => store?.record(event).catch(() => undefined);
  if (action?.type === 'feedback') {
    logger.info({ platform, ...where, feedback: action.value, entries: action.entries, language: action.language }, 'feedback');
    metrics?.feedback.inc({ platform, value: action.value });
    await record({ at: Date.now(), type: 'feedback', platform, language: action.language, value: action.value, entries: action.entries });
    if (turn.spend && (await turn.spend(action))) return undefined;
    const thanks = sentences(action.language, 'feedback', [STRINGS[action.language].feedbackThanks]);
    await turn.send(thanks);
    return thanks;
  }
  const started = Date.now();
  let answer: Answer;
  try {
    answer = await engine.handle(message, turn.mode ? { mode: turn.mode } : {});
    metrics?.engineSeconds.observe({ platform }, (Date.now() - started) / 1000);
  } catch (error) {
    logger.error({ platform, ...where, err: error }, 'the engine failed on a message');
    const language = action?.language ?? languageFromLocale(message.locale) ?? 'en';
    await turn.send(sentences(language, 'help', [STRINGS[language].internalError]));
    return undefined;
  }
  if (answer.silent) return answer;
  const outcome = action && action.type !== 'pick' ? 'follow-up' : outcomeOf(answer);
  metrics?.message(platform, outcome, answer.language);
  const entries = answer.matches.map((m) => m.id);
  if (action?.type === 'pick') await record({ at: Date.now(), type: 'pick', platform, language: answer.language, entry: action.entry });
  else {
    const unanswered = outcome === 'no-match' || outcome === 'suggested';
    await record({ at: Date.now(), type: 'message', platform, language: answer.language, outcome, entries, ...(unanswered && !action ? { text: redact(message.text) } : {}) });
  }
  const posting = Date.now();
  const sent = await turn.send(answer);
  metrics?.postSeconds.observe({ platform }, (Date.now() - posting) / 1000);
  if (!sent) return answer;
  if (action && turn.spend && (action.type === 'more_causes' || action.type === 'pick')) await turn.spend(action);
  logger.info(
    {
      platform,
      ...where,
      kind: answer.kind,
      language: answer.language,
      outcome,
      matches: entries,
      suggestions: answer.suggestions.length,
      ...(action ? { action: action.type } : {}),
      ms: Date.now() - started,
      text: message.text,
    },
    'answered',
  );
  return answer;
}
