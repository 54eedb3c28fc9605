import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { SHORTCUT_ID, SLASH_COMMAND } from '../src/adapters/slack/app.ts';

const ManifestSchema = z.object({
  display_information: z.object({ name: z.string().min(1).max(35), description: z.string().min(1).max(140), background_color: z.string().regex(/^#[0-9a-f]{6}$/iu) }),
  features: z.object({
    bot_user: z.object({ display_name: z.string().min(1).max(80) }),
    slash_commands: z.array(z.object({ command: z.string().regex(/^\/[a-z0-9_-]+$/u), description: z.string().min(1).max(2000) })),
    shortcuts: z.array(z.object({ name: z.string().max(24), type: z.enum(['message', 'global']), callback_id: z.string(), description: z.string().max(80) })),
  }),
  oauth_config: z.object({ scopes: z.object({ bot: z.array(z.string()) }) }),
  settings: z.object({
    event_subscriptions: z.object({ bot_events: z.array(z.string()) }),
    interactivity: z.object({ is_enabled: z.literal(true) }),
    socket_mode_enabled: z.boolean(),
  }),
});

const manifest = ManifestSchema.parse(parse(readFileSync(new URL('../manifest/slack/manifest.yaml', import.meta.url), 'utf8')));

describe('the Slack app manifest', () => {
  it('declares the slash command and the message shortcut the app listens for', () => {
    expect(manifest.features.slash_commands.map((c) => c.command)).toEqual([SLASH_COMMAND]);
    expect(manifest.features.shortcuts).toContainEqual(expect.objectContaining({ type: 'message', callback_id: SHORTCUT_ID, name: 'Diagnose this error' }));
  });

  it('subscribes to mentions and messages, with the scopes they and the replies need', () => {
    expect(manifest.settings.event_subscriptions.bot_events).toEqual(['app_mention', 'message.channels', 'message.groups', 'message.im', 'message.mpim']);
    expect(manifest.oauth_config.scopes.bot).toEqual(
      expect.arrayContaining(['app_mentions:read', 'channels:history', 'groups:history', 'im:history', 'mpim:history', 'chat:write', 'commands', 'users:read']),
    );
    expect(manifest.settings.socket_mode_enabled).toBe(true);
  });
});
