import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { serveCommand } from '../src/cli/serve.ts';
import { ConfigError, readServeConfig, VARIABLES } from '../src/server/config.ts';

const bad: [string, Record<string, string>, RegExp][] = [
  ['a bot token without a signing secret or app token', { SLACK_BOT_TOKEN: 'xoxb-1-2' }, /^SLACK_SIGNING_SECRET is not set: set it to the Signing Secret/u],
  ['a signing secret without a bot token', { SLACK_SIGNING_SECRET: 'abcdefgh12' }, /^SLACK_BOT_TOKEN is not set: set it to the Bot User OAuth Token/u],
  ['a user token where the bot token goes', { SLACK_BOT_TOKEN: 'xoxp-1-2', SLACK_SIGNING_SECRET: 'abcdefgh12' }, /^SLACK_BOT_TOKEN is malformed/u],
  ['an app token of the wrong kind', { SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xoxb-2' }, /^SLACK_APP_TOKEN is malformed: set it to an app-level token/u],
  ['a port that is not a number', { PORT: 'eighty' }, /^PORT is malformed: set it to a port number/u],
  ['a port out of range', { PORT: '70000' }, /^PORT is malformed/u],
  ['an unknown passive setting', { SLACK_PASSIVE: 'maybe' }, /^SLACK_PASSIVE is malformed: set it to on or off/u],
  ['a Microsoft App ID that is not a GUID', { MicrosoftAppId: 'my-bot', MicrosoftAppPassword: 'x' }, /^MicrosoftAppId is malformed: set it to the bot's Microsoft App ID/u],
  ['a Microsoft App ID without its password', { MicrosoftAppId: '00000000-0000-0000-0000-000000000001' }, /^MicrosoftAppPassword is not set/u],
  ['a single-tenant bot without its tenant', { MicrosoftAppId: '00000000-0000-0000-0000-000000000001', MicrosoftAppPassword: 'x', MicrosoftAppType: 'SingleTenant' }, /^MicrosoftAppTenantId is not set/u],
  ['a Redis URL of another scheme', { REDIS_URL: 'http://redis:6379' }, /^REDIS_URL is malformed: set it to a Redis URL/u],
  ['an API URL that is not a URL', { SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 'abcdefgh12', SLACK_API_URL: 'slack' }, /^SLACK_API_URL is malformed/u],
];

describe('serve configuration', () => {
  it.each(bad)('names the variable and what to set for %s', (_name, env, message) => {
    expect(() => readServeConfig(env)).toThrow(ConfigError);
    expect(() => readServeConfig(env)).toThrow(message);
  });

  it('runs with no platform and the default port when nothing is set', () => {
    expect(readServeConfig({})).toEqual({ port: 3978, host: '0.0.0.0', logLevel: 'info', teams: { mode: 'local' }, store: { kind: 'sqlite', dataDir: './data' } });
  });

  it('keeps its state in SQLite under DATA_DIR, or in Redis when REDIS_URL is set', () => {
    expect(readServeConfig({ DATA_DIR: '/var/lib/backup-triage' }).store).toEqual({ kind: 'sqlite', dataDir: '/var/lib/backup-triage' });
    expect(readServeConfig({ REDIS_URL: 'rediss://cache.internal:6380/2' }).store).toEqual({ kind: 'redis', url: 'rediss://cache.internal:6380/2' });
  });

  it('uses Socket Mode with an app token, and HTTP with a signing secret', () => {
    expect(readServeConfig({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xapp-1' }).slack).toEqual({ botToken: 'xoxb-1', appToken: 'xapp-1', passive: true });
    expect(readServeConfig({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 'abcdefgh12', SLACK_PASSIVE: 'off', SLACK_API_URL: 'https://slack-gov.com/api' }).slack).toEqual({
      botToken: 'xoxb-1',
      signingSecret: 'abcdefgh12',
      passive: false,
      apiUrl: 'https://slack-gov.com/api/',
    });
  });

  it('stops `serve` with one line and exit code 1 on a bad variable, without a stack trace', async () => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await serveCommand([], { out: (t) => out.push(t), err: (t) => err.push(t) }, {}, { SLACK_BOT_TOKEN: 'xoxb-1' });
    expect(code).toBe(1);
    expect(out).toEqual([]);
    expect(err).toEqual([expect.stringMatching(/^backup-triage: SLACK_SIGNING_SECRET is not set: /u)]);
  });

  it('reads HOST and TEAMS_LOCAL', () => {
    expect(readServeConfig({ HOST: '127.0.0.1' }).host).toBe('127.0.0.1');
    const slack = { SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 'abcdefgh12' };
    expect(readServeConfig(slack).teams).toEqual({ mode: 'off' });
    expect(readServeConfig({ ...slack, TEAMS_LOCAL: 'on' }).teams).toEqual({ mode: 'local' });
    expect(readServeConfig({ TEAMS_LOCAL: 'off' }).teams).toEqual({ mode: 'off' });
    expect(readServeConfig({ MicrosoftAppId: '00000000-0000-0000-0000-000000000001', MicrosoftAppPassword: 'x', TEAMS_LOCAL: 'on' }).teams.mode).toBe('authenticated');
    expect(() => readServeConfig({ TEAMS_LOCAL: 'maybe' })).toThrow(/^TEAMS_LOCAL is malformed: set it to on/u);
    expect(() => readServeConfig({ HOST: 'a b' })).toThrow(/^HOST is malformed/u);
  });
});

describe('.env.example', () => {
  it('lists every variable serve reads, each as a commented-out assignment', () => {
    const example = readFileSync(new URL('../.env.example', import.meta.url), 'utf8');
    for (const name of VARIABLES) expect(example).toMatch(new RegExp(`^# ${name}=`, 'mu'));
  });
});
