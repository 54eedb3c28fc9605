import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { COMMANDS, DIAGNOSE_COMMAND } from '../src/adapters/teams/bot.ts';

const DIR = new URL('../manifest/teams/', import.meta.url);
const read = (name: string) => readFileSync(new URL(name, DIR));
const GUID = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/iu);

const Manifest = z.object({
  $schema: z.literal('https://developer.microsoft.com/json-schemas/teams/v1.22/MicrosoftTeams.schema.json'),
  manifestVersion: z.literal('1.22'),
  version: z.string().regex(/^\d+\.\d+\.\d+$/u),
  id: GUID,
  developer: z.object({ name: z.string().min(1).max(32), websiteUrl: z.string().startsWith('https://'), privacyUrl: z.string().startsWith('https://'), termsOfUseUrl: z.string().startsWith('https://') }),
  localizationInfo: z.object({ defaultLanguageTag: z.literal('en'), additionalLanguages: z.array(z.object({ languageTag: z.string(), file: z.string() })) }),
  name: z.object({ short: z.string().min(1).max(30), full: z.string().max(100) }),
  description: z.object({ short: z.string().min(1).max(80), full: z.string().min(1).max(4000) }),
  icons: z.object({ color: z.literal('color.png'), outline: z.literal('outline.png') }),
  accentColor: z.string().regex(/^#[0-9A-F]{6}$/iu),
  bots: z.array(
    z.object({
      botId: GUID,
      scopes: z.array(z.enum(['personal', 'team', 'groupChat'])),
      commandLists: z.array(z.object({ scopes: z.array(z.string()), commands: z.array(z.object({ title: z.string().max(32), description: z.string().max(128) })).max(10) })),
    }),
  ).length(1),
  composeExtensions: z.array(z.object({ botId: GUID, commands: z.array(z.object({ id: z.string(), type: z.literal('action'), title: z.string().max(32), context: z.array(z.string()), fetchTask: z.boolean() })) })).length(1),
});

const manifest = Manifest.parse(JSON.parse(read('manifest.json').toString('utf8')));

function pngSize(png: Buffer): { width: number; height: number; colorType: number } {
  expect(png.subarray(0, 8)).toEqual(Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]));
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20), colorType: png[25]! };
}

describe('the Teams app manifest', () => {
  it('is a v1.22 manifest whose bot and message extension are the same app', () => {
    expect(manifest.bots[0]!.botId).toBe(manifest.id);
    expect(manifest.composeExtensions[0]!.botId).toBe(manifest.id);
    expect(manifest.bots[0]!.scopes).toEqual(['personal', 'team', 'groupChat']);
  });

  it('lists the commands the bot handles, and the "Diagnose this message" action', () => {
    expect(manifest.bots[0]!.commandLists[0]!.commands.map((c) => c.title)).toEqual([...COMMANDS]);
    expect(manifest.composeExtensions[0]!.commands).toEqual([expect.objectContaining({ id: DIAGNOSE_COMMAND, title: 'Diagnose this message', context: ['message'], fetchTask: false })]);
  });

  it('has a 192×192 color icon and a 32×32 outline icon with transparency', () => {
    expect(pngSize(read('color.png'))).toMatchObject({ width: 192, height: 192 });
    expect(pngSize(read('outline.png'))).toEqual({ width: 32, height: 32, colorType: 6 });
  });

  it('is localized in Dutch and Swedish, with the same keys in both', () => {
    const keys = (name: string) => Object.keys(JSON.parse(read(name).toString('utf8'))).sort();
    expect(manifest.localizationInfo.additionalLanguages).toEqual([{ languageTag: 'nl', file: 'nl.json' }, { languageTag: 'sv', file: 'sv.json' }]);
    expect(keys('nl.json')).toEqual(keys('sv.json'));
    for (const name of ['nl.json', 'sv.json']) {
      const l = JSON.parse(read(name).toString('utf8')) as Record<string, string>;
      expect(l['name.short']!.length).toBeLessThanOrEqual(30);
      expect(l['description.short']!.length).toBeLessThanOrEqual(80);
    }
  });

  it('`npm run package:teams` zips the manifest with the app id, the icons and the localizations', () => {
    const root = fileURLToPath(new URL('..', import.meta.url));
    const appId = '11111111-2222-3333-4444-555555555555';
    const run = spawnSync('npm', ['run', '-s', 'package:teams'], { cwd: root, env: { ...process.env, MicrosoftAppId: appId }, encoding: 'utf8' });
    expect(run.status).toBe(0);
    const zip = unzipSync(readFileSync(new URL('../dist/backup-triage-teams.zip', import.meta.url)));
    expect(Object.keys(zip).sort()).toEqual(['color.png', 'manifest.json', 'nl.json', 'outline.png', 'sv.json']);
    const packaged = Manifest.parse(JSON.parse(Buffer.from(zip['manifest.json']!).toString('utf8')));
    expect(packaged.id).toBe(appId);
    expect(packaged.bots[0]!.botId).toBe(appId);
  }, 30_000);
});
