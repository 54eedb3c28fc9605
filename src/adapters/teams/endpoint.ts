import { CloudAdapter, ConfigurationBotFrameworkAuthentication, MessageFactory, type TurnContext } from 'botbuilder';
import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import type { Engine } from '../../core/engine.ts';
import { STRINGS } from '../../core/i18n/strings.ts';
import { languageFromLocale } from '../../core/language/detect.ts';
import type { TeamsConfig } from '../../server/config.ts';
import { BODY_LIMIT_BYTES } from '../../server/http.ts';
import type { Logger } from '../../server/logger.ts';
import { Sender, TriageBot } from './bot.ts';

export const MESSAGES_PATH = '/api/messages';

export interface TeamsEndpointOptions {
  config: TeamsConfig;
  engine: Engine;
  logger: Logger;
  http: Express;
}

/** Mounts the Bot Framework endpoint for Teams on the shared HTTP app. */
export function mountTeams({ config, engine, logger: parent, http }: TeamsEndpointOptions): void {
  const logger = parent.child({ platform: 'teams' });
  const authenticated = Boolean(config.appId);
  if (!authenticated) {
    logger.warn(`Teams at ${MESSAGES_PATH} accepts unauthenticated requests: no MicrosoftAppId is set. Use this for local testing (Bot Framework Emulator) only.`);
  }
  const auth = new ConfigurationBotFrameworkAuthentication({
    MicrosoftAppId: config.appId ?? '',
    MicrosoftAppPassword: config.appPassword ?? '',
    MicrosoftAppType: config.appType ?? (authenticated ? 'MultiTenant' : ''),
    MicrosoftAppTenantId: config.tenantId ?? '',
  });
  const adapter = new CloudAdapter(auth);
  const sender = new Sender(logger);
  const bot = new TriageBot(engine, sender, logger);

  adapter.onTurnError = async (context: TurnContext, error: Error) => {
    logger.error({ err: error.message }, 'Teams turn failed');
    const language = languageFromLocale(context.activity.locale) ?? 'en';
    try {
      await context.sendActivity(MessageFactory.text(STRINGS[language].internalError));
    } catch (sendError) {
      logger.error({ err: (sendError as Error).message }, 'could not tell the user about the failure');
    }
  };

  const json = express.json({ limit: BODY_LIMIT_BYTES, type: () => true });
  http.post(
    MESSAGES_PATH,
    (req: Request, res: Response, next: NextFunction) =>
      json(req, res, (error?: unknown) => {
        if (error) {
          res.status(400).json({ error: 'the body is not a JSON activity' });
          return;
        }
        next();
      }),
    async (req: Request, res: Response) => {
      try {
        await adapter.process(req, res, (context) => bot.run(context));
      } catch (error) {
        // A body that parses as JSON but is not an activity (botbuilder's own validation throws).
        logger.warn({ err: (error as Error).message.slice(0, 200) }, 'malformed Teams activity');
        if (!res.headersSent) res.status(400).json({ error: 'the body is not a valid activity' });
      }
    },
  );
}
