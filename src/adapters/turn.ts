import type { Action } from '../core/answer/actions.ts';
import type { Answer, IncomingMessage, Mode } from '../core/answer/model.ts';
import { sentences } from '../core/dialogue/compose.ts';
import type { Engine } from '../core/engine.ts';
import { STRINGS } from '../core/i18n/strings.ts';
import { languageFromLocale } from '../core/language/detect.ts';
import type { Logger } from '../server/logger.ts';

export type Platform = 'slack' | 'teams';

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
export async function runTurn(engine: Engine, logger: Logger, platform: Platform, turn: TurnRequest): Promise<Answer | undefined> {
  const { message, where } = turn;
  const action = message.action;
  if (action?.type === 'feedback') {
    logger.info({ platform, ...where, feedback: action.value, entries: action.entries, language: action.language }, 'feedback');
    if (turn.spend && (await turn.spend(action))) return undefined;
    const thanks = sentences(action.language, 'feedback', [STRINGS[action.language].feedbackThanks]);
    await turn.send(thanks);
    return thanks;
  }
  const started = Date.now();
  let answer: Answer;
  try {
    answer = await engine.handle(message, turn.mode ? { mode: turn.mode } : {});
  } catch (error) {
    logger.error({ platform, ...where, err: error }, 'the engine failed on a message');
    const language = action?.language ?? languageFromLocale(message.locale) ?? 'en';
    await turn.send(sentences(language, 'help', [STRINGS[language].internalError]));
    return undefined;
  }
  if (answer.silent) return answer;
  if (!(await turn.send(answer))) return answer;
  if (action && turn.spend && (action.type === 'more_causes' || action.type === 'pick')) await turn.spend(action);
  logger.info(
    {
      platform,
      ...where,
      kind: answer.kind,
      language: answer.language,
      matches: answer.matches.map((m) => m.id),
      suggestions: answer.suggestions.length,
      ...(action ? { action: action.type } : {}),
      ms: Date.now() - started,
      text: message.text,
    },
    'answered',
  );
  return answer;
}
