import { Router } from 'express';
import type { TeamsConfig } from '../../server/config.ts';
import type { PlatformFactory } from '../../server/platform.ts';
import type { Sleep } from '../../server/retry.ts';

export const MESSAGES_PATH = '/api/messages';

export interface TeamsPlatformOptions {
  sleep?: Sleep;
  callTimeoutMs?: number;
}

/**
 * Teams on the server: /api/messages, answered once the engine is built. The Bot Framework SDK is
 * the largest part of `serve`, so it loads once the server is ready rather than before: an activity
 * that arrives before it has loaded waits for it.
 */
export function teamsPlatform(config: TeamsConfig, options: TeamsPlatformOptions = {}): PlatformFactory {
  return ({ http, logger, engine, store, metrics }) => {
    let endpoint: Promise<Router> | undefined;
    const load = () =>
      (endpoint ??= import('./endpoint.ts').then(({ mountTeams }) => {
        const router = Router();
        mountTeams({ config, engine, logger, http: router, ...(store ? { store } : {}), ...(metrics ? { metrics } : {}), ...options });
        return router;
      }));
    http.post(MESSAGES_PATH, (req, res, next) => {
      load().then((router) => router(req, res, next), next);
    });
    const local = config.mode === 'local';
    return {
      name: 'teams',
      description: local ? `teams (http ${MESSAGES_PATH}, local mode: no authentication, callers and replies on this machine only)` : `teams (http ${MESSAGES_PATH})`,
      ...(local
        ? {
            warning: {
              message:
                'Teams runs in local mode, for testing on this machine: it answers loopback callers only, and replies to loopback serviceUrls only. Set MicrosoftAppId and its password to serve Teams.',
              fields: { path: MESSAGES_PATH },
            },
          }
        : {}),
      start: async () => {
        // After the server says it is ready, so that the SDK's loading doesn't hold that up.
        setImmediate(() => load().catch((error: unknown) => logger.error({ err: error }, 'the Teams endpoint could not be loaded')));
        return true;
      },
      stop: async () => undefined,
    };
  };
}
