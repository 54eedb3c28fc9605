import { z } from 'zod';

/** What to set, for each variable: the one line a person sees when it is missing or malformed. */
const HINTS: Record<string, string> = {
  PORT: 'set it to a port number between 1 and 65535 (default 3978; 0 picks a free port)',
  HOST: 'set it to the address to listen on, such as 0.0.0.0 (every interface, the default) or 127.0.0.1',
  TEAMS_LOCAL: 'set it to on (serve Teams without credentials, to this machine only) or off',
  LOG_LEVEL: 'set it to one of fatal, error, warn, info, debug, trace, silent',
  SLACK_BOT_TOKEN: "set it to the Bot User OAuth Token (xoxb-…) from your Slack app's OAuth & Permissions page",
  SLACK_SIGNING_SECRET: "set it to the Signing Secret from your Slack app's Basic Information page, or set SLACK_APP_TOKEN to use Socket Mode",
  SLACK_APP_TOKEN: "set it to an app-level token (xapp-…) with the connections:write scope, from your Slack app's Basic Information page",
  SLACK_API_URL: 'set it to the Web API base URL, such as https://slack.com/api/, or leave it unset',
  SLACK_PASSIVE: 'set it to on or off',
  DATA_DIR: 'set it to the directory for the SQLite store (default ./data), or set REDIS_URL to share a Redis between instances',
  REDIS_URL: 'set it to a Redis URL such as redis://redis.internal:6379/0 (rediss:// for TLS), or leave it unset to use SQLite in DATA_DIR',
  MicrosoftAppId: "set it to the bot's Microsoft App ID (a GUID) from its Azure Bot resource, or leave every Microsoft* variable unset for local use",
  MicrosoftAppPassword: "set it to the client secret of the bot's app registration (not needed with MicrosoftAppType=UserAssignedMSI)",
  MicrosoftAppType: 'set it to MultiTenant, SingleTenant or UserAssignedMSI',
  MicrosoftAppTenantId: "set it to the tenant ID (a GUID) of the bot's app registration; SingleTenant and UserAssignedMSI need it",
};

/** Every variable `serve` reads. */
export const VARIABLES = Object.keys(HINTS);

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/iu;

const optional = (schema: z.ZodString) => z.preprocess((v) => (v === '' ? undefined : v), schema.optional());

const EnvSchema = z.object({
  PORT: z.preprocess((v) => (v === '' || v === undefined ? '3978' : v), z.string().regex(/^\d+$/u).transform(Number).pipe(z.number().int().min(0).max(65535))),
  HOST: z.preprocess((v) => (v === '' || v === undefined ? '0.0.0.0' : v), z.string().regex(/^[\w.:-]{1,255}$/u)),
  TEAMS_LOCAL: z.preprocess((v) => (v === '' || v === undefined ? undefined : String(v).toLowerCase()), z.enum(['on', 'off']).optional()),
  LOG_LEVEL: z.preprocess((v) => (v === '' || v === undefined ? 'info' : v), z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])),
  SLACK_BOT_TOKEN: optional(z.string().regex(/^xoxb-[\w-]+$/u)),
  SLACK_SIGNING_SECRET: optional(z.string().regex(/^\S{8,}$/u)),
  SLACK_APP_TOKEN: optional(z.string().regex(/^xapp-[\w-]+$/u)),
  SLACK_API_URL: optional(z.string().regex(/^https?:\/\/\S+$/u)),
  SLACK_PASSIVE: z.preprocess((v) => (v === '' || v === undefined ? 'on' : String(v).toLowerCase()), z.enum(['on', 'off'])),
  DATA_DIR: z.preprocess((v) => (v === '' || v === undefined ? './data' : v), z.string().max(4096)),
  REDIS_URL: optional(z.string().regex(/^rediss?:\/\/\S+$/u)),
  MicrosoftAppId: optional(z.string().regex(GUID)),
  MicrosoftAppPassword: optional(z.string().min(1)),
  MicrosoftAppType: z.preprocess((v) => (v === '' ? undefined : v), z.enum(['MultiTenant', 'SingleTenant', 'UserAssignedMSI']).optional()),
  MicrosoftAppTenantId: optional(z.string().regex(GUID)),
});

export interface SlackConfig {
  botToken: string;
  /** Socket Mode when set; HTTP at /slack/events otherwise. */
  appToken?: string;
  signingSecret?: string;
  apiUrl?: string;
  passive: boolean;
}

/**
 * Teams: `authenticated` with Bot Framework credentials; `local` without them, for this machine
 * only (callers and serviceUrls on loopback); `off` answers 404 at /api/messages.
 */
export interface TeamsConfig {
  mode: 'off' | 'local' | 'authenticated';
  appId?: string;
  appPassword?: string;
  appType?: 'MultiTenant' | 'SingleTenant' | 'UserAssignedMSI';
  tenantId?: string;
}

export interface ServeConfig {
  port: number;
  /** The address to listen on. */
  host: string;
  logLevel: z.infer<typeof EnvSchema>['LOG_LEVEL'];
  slack?: SlackConfig;
  teams: TeamsConfig;
  /**
   * Where threads, de-duplication and the events log live: Redis when REDIS_URL is set, else SQLite
   * in DATA_DIR. Absent (in tests that build a config by hand): this process's memory.
   */
  store?: StoreConfig;
}

export type StoreConfig = { kind: 'sqlite'; dataDir: string } | { kind: 'redis'; url: string };

/** The store settings alone, for commands that read the store without serving (`report`). */
export function readStoreConfig(env: NodeJS.ProcessEnv = process.env): StoreConfig {
  const parsed = EnvSchema.pick({ DATA_DIR: true, REDIS_URL: true }).safeParse(env);
  if (!parsed.success) throw problem(String(parsed.error.issues[0]!.path[0] ?? 'configuration'), 'is malformed');
  return parsed.data.REDIS_URL ? { kind: 'redis', url: parsed.data.REDIS_URL } : { kind: 'sqlite', dataDir: parsed.data.DATA_DIR };
}

/** A configuration problem: one line that names the variable and says what to set. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

function problem(variable: string, what: string): ConfigError {
  return new ConfigError(`${variable} ${what}: ${HINTS[variable] ?? 'check its value'}`);
}

/** Reads the serve configuration from the environment once; throws ConfigError on the first problem. */
export function readServeConfig(env: NodeJS.ProcessEnv = process.env): ServeConfig {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw problem(String(issue.path[0] ?? 'configuration'), 'is malformed');
  }
  const e = parsed.data;
  const store: StoreConfig = e.REDIS_URL ? { kind: 'redis', url: e.REDIS_URL } : { kind: 'sqlite', dataDir: e.DATA_DIR };
  const config: ServeConfig = { port: e.PORT, host: e.HOST, logLevel: e.LOG_LEVEL, teams: { mode: 'off' }, store };
  const slackVars = ['SLACK_BOT_TOKEN', 'SLACK_SIGNING_SECRET', 'SLACK_APP_TOKEN', 'SLACK_API_URL'] as const;
  if (slackVars.some((v) => e[v] !== undefined)) {
    if (!e.SLACK_BOT_TOKEN) throw problem('SLACK_BOT_TOKEN', 'is not set');
    if (!e.SLACK_APP_TOKEN && !e.SLACK_SIGNING_SECRET) throw problem('SLACK_SIGNING_SECRET', 'is not set');
    config.slack = {
      botToken: e.SLACK_BOT_TOKEN,
      passive: e.SLACK_PASSIVE === 'on',
      ...(e.SLACK_APP_TOKEN ? { appToken: e.SLACK_APP_TOKEN } : {}),
      ...(e.SLACK_SIGNING_SECRET ? { signingSecret: e.SLACK_SIGNING_SECRET } : {}),
      ...(e.SLACK_API_URL ? { apiUrl: e.SLACK_API_URL.endsWith('/') ? e.SLACK_API_URL : `${e.SLACK_API_URL}/` } : {}),
    };
  }
  config.teams = teamsConfig(e, config.slack !== undefined);
  return config;
}

/** Teams with credentials; without them, local mode when asked for or when no platform is configured at all. */
function teamsConfig(e: z.infer<typeof EnvSchema>, slack: boolean): TeamsConfig {
  const any = e.MicrosoftAppId ?? e.MicrosoftAppPassword ?? e.MicrosoftAppType ?? e.MicrosoftAppTenantId;
  if (any === undefined) {
    const local = e.TEAMS_LOCAL === 'on' || (e.TEAMS_LOCAL === undefined && !slack);
    return { mode: local ? 'local' : 'off' };
  }
  if (!e.MicrosoftAppId) throw problem('MicrosoftAppId', 'is not set');
  const type = e.MicrosoftAppType ?? 'MultiTenant';
  if (type !== 'UserAssignedMSI' && !e.MicrosoftAppPassword) throw problem('MicrosoftAppPassword', 'is not set');
  if (type !== 'MultiTenant' && !e.MicrosoftAppTenantId) throw problem('MicrosoftAppTenantId', 'is not set');
  return {
    mode: 'authenticated',
    appId: e.MicrosoftAppId,
    appType: type,
    ...(e.MicrosoftAppPassword ? { appPassword: e.MicrosoftAppPassword } : {}),
    ...(e.MicrosoftAppTenantId ? { tenantId: e.MicrosoftAppTenantId } : {}),
  };
}
