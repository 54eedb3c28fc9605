import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TeamsManifestV1D30 } from '@microsoft/app-manifest';
import type { ErrorObject, ValidateFunction } from 'ajv';
import AjvDraft04 from 'ajv-draft-04';
import ajvFormats from 'ajv-formats';
import { unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { COMMANDS, DIAGNOSE_COMMAND } from '../src/adapters/teams/bot.ts';

// CommonJS packages: their class and plugin are their `default` export.
const Ajv = AjvDraft04.default;
const addFormats = ajvFormats.default;

type Manifest = TeamsManifestV1D30.TeamsManifestV1D30;
type Localization = Record<string, string>;

const DIR = new URL('../manifest/teams/', import.meta.url);
const read = (name: string) => readFileSync(new URL(name, DIR));
const json = <T>(name: string) => JSON.parse(read(name).toString('utf8')) as T;

const VERSION = '1.30';
const SCHEMA_URL = `https://developer.microsoft.com/json-schemas/teams/v${VERSION}/MicrosoftTeams.schema.json`;
const LOCALIZATION_SCHEMA_URL = `https://developer.microsoft.com/json-schemas/teams/v${VERSION}/MicrosoftTeams.Localization.schema.json`;
const REPOSITORY = 'https://github.com/backup-triage/backup-triage';

/** Microsoft's Teams schemas as @microsoft/app-manifest ships them, one folder per version. */
const SCHEMAS = join(dirname(createRequire(import.meta.url).resolve('@microsoft/app-manifest/package.json')), 'build', 'json-schemas', 'teams');

/** The shipped copy of the schema a `$schema` URL names. */
function schemaFile(url: string): string {
  const m = /^https:\/\/developer\.microsoft\.com\/json-schemas\/teams\/(v[\d.]+)\/(MicrosoftTeams(?:\.Localization)?\.schema\.json)$/u.exec(url);
  if (!m) throw new Error(`not a Teams schema URL: ${url}`);
  return join(SCHEMAS, m[1]!, m[2]!);
}

/**
 * A validator for one of Microsoft's schemas. They are JSON Schema draft-04, not written for Ajv's
 * strict types (`additionalProperties` without `type: object`), and the localization schema's
 * patterns are not valid as unicode regular expressions (`\b]`): Ajv takes them as they are meant.
 */
function validator(url: string): ValidateFunction {
  const ajv = new Ajv({ allErrors: true, strictTypes: false, unicodeRegExp: false });
  addFormats(ajv);
  return ajv.compile(JSON.parse(readFileSync(schemaFile(url), 'utf8')) as object);
}

/** One line per schema error: where, what, and the value the schema wants when it names one. */
function describeError(e: ErrorObject): string {
  const params = e.params as { allowedValue?: unknown; allowedValues?: unknown; additionalProperty?: string };
  const detail =
    params.allowedValue !== undefined
      ? ` ${JSON.stringify(params.allowedValue)}`
      : params.allowedValues !== undefined
        ? ` ${JSON.stringify(params.allowedValues)}`
        : params.additionalProperty !== undefined
          ? ` (${params.additionalProperty})`
          : '';
  return `${e.instancePath || '/'} ${e.message ?? e.keyword}${detail}`;
}

/** What the schema finds wrong with a document: nothing when it is valid. */
function problems(validate: ValidateFunction, document: unknown): string[] {
  return validate(document) ? [] : (validate.errors ?? []).map(describeError);
}

const validateManifest = validator(SCHEMA_URL);
const validateLocalization = validator(LOCALIZATION_SCHEMA_URL);
const manifest = json<Manifest>('manifest.json');
const LOCALIZATIONS = ['nl.json', 'sv.json'];

/** The value a localization key ("bots[0].commandLists[0].commands[2].description") stands for in the manifest. */
function at(document: unknown, key: string): unknown {
  return key.split(/\.|(?=\[)/u).reduce<unknown>((value, part) => {
    const index = /^\[(\d+)\]$/u.exec(part);
    return (value as Record<string, unknown> | undefined)?.[index ? Number(index[1]) : part];
  }, document);
}

/** The anchors GitHub gives the README's headings (those in code blocks are none). */
function readmeAnchors(): string[] {
  let fenced = false;
  const anchors: string[] = [];
  for (const line of readFileSync(new URL('../README.md', import.meta.url), 'utf8').split('\n')) {
    if (line.startsWith('```')) fenced = !fenced;
    const heading = fenced ? null : /^#{1,6} (.+)$/u.exec(line);
    if (heading) anchors.push(heading[1]!.trim().toLowerCase().replace(/[^\p{L}\p{N}\s-]/gu, '').replace(/\s/gu, '-'));
  }
  return anchors;
}

function pngSize(png: Buffer): { width: number; height: number; colorType: number } {
  expect(png.subarray(0, 8)).toEqual(Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]));
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20), colorType: png[25]! };
}

describe('the Teams app manifest', () => {
  it(`is a v${VERSION} manifest that Microsoft's v${VERSION} schema accepts`, () => {
    expect(manifest.$schema).toBe(SCHEMA_URL);
    expect(manifest.manifestVersion).toBe(VERSION);
    expect(problems(validator(manifest.$schema!), manifest)).toEqual([]);
  });

  it('is rejected by the schema, with a readable reason, when it is broken', () => {
    type Editable = { manifestVersion: string; bots: ({ commandLists: { commands: { title: string }[] }[] } & Record<string, unknown>)[]; composeExtensions: { commands: { title: string }[] }[] };
    const broken = structuredClone(manifest) as unknown as Editable;
    broken.manifestVersion = '1.22';
    broken.bots[0]!.supportsTargetedMessage = true;
    broken.bots[0]!.commandLists[0]!.commands[0]!.title = `diagnose ${'x'.repeat(128)}`;
    broken.composeExtensions[0]!.commands[0]!.title = 'Diagnose this message, with every cause';
    expect(problems(validateManifest, broken)).toEqual([
      '/manifestVersion must be equal to constant "1.30"',
      '/bots/0 must NOT have additional properties (supportsTargetedMessage)',
      '/bots/0/commandLists/0/commands/0/title must NOT have more than 128 characters',
      '/composeExtensions/0/commands/0/title must NOT have more than 32 characters',
    ]);
  });

  it('has one bot, which is also the message extension, the app itself', () => {
    expect(manifest.bots).toHaveLength(1);
    expect(manifest.bots![0]!.botId).toBe(manifest.id);
    expect(manifest.composeExtensions![0]!.botId).toBe(manifest.id);
    expect(manifest.bots![0]!.scopes).toEqual(['personal', 'team', 'groupChat']);
  });

  it('offers the commands the bot handles in the @mention menu and the / menu (targeted messages)', () => {
    const bot = manifest.bots![0]!;
    expect(bot.supportsTargetedMessages).toBe(true);
    expect(bot.commandLists).toEqual([expect.objectContaining({ scopes: ['personal', 'team', 'groupChat'], triggers: ['slash', 'mention'] })]);
    expect(bot.commandLists![0]!.commands.map((c) => c.title)).toEqual([...COMMANDS]);
  });

  it('has the "Diagnose this message" action, which asks the bot for its dialog (fetchTask)', () => {
    expect(manifest.composeExtensions![0]!.commands).toEqual([
      expect.objectContaining({ id: DIAGNOSE_COMMAND, type: 'action', title: 'Diagnose this message', context: ['message'], fetchTask: true }),
    ]);
  });

  it("links the README's Privacy and Terms of use sections", () => {
    expect(manifest.developer).toMatchObject({ websiteUrl: REPOSITORY, privacyUrl: `${REPOSITORY}#privacy`, termsOfUseUrl: `${REPOSITORY}#terms-of-use` });
    expect(readmeAnchors()).toEqual(expect.arrayContaining(['privacy', 'terms-of-use']));
  });

  it('has a 192×192 color icon and a 32×32 outline icon with transparency', () => {
    expect(manifest.icons).toEqual({ color: 'color.png', outline: 'outline.png' });
    expect(pngSize(read('color.png'))).toMatchObject({ width: 192, height: 192 });
    expect(pngSize(read('outline.png'))).toEqual({ width: 32, height: 32, colorType: 6 });
  });
});

describe('the Teams app localizations', () => {
  it('are Dutch and Swedish', () => {
    expect(manifest.localizationInfo).toEqual({
      defaultLanguageTag: 'en',
      additionalLanguages: [
        { languageTag: 'nl', file: 'nl.json' },
        { languageTag: 'sv', file: 'sv.json' },
      ],
    });
  });

  it.each(LOCALIZATIONS)(`%s: Microsoft's v${VERSION} localization schema accepts it`, (name) => {
    const localization = json<Localization>(name);
    expect(localization.$schema).toBe(LOCALIZATION_SCHEMA_URL);
    expect(problems(validator(localization.$schema!), localization)).toEqual([]);
  });

  it.each(LOCALIZATIONS)('%s: translates strings the manifest has, the same ones as the other language', (name) => {
    const localization = json<Localization>(name);
    const keys = Object.keys(localization).filter((k) => k !== '$schema');
    for (const key of keys) expect(typeof at(manifest, key), key).toBe('string');
    expect(keys.sort()).toEqual(Object.keys(json<Localization>(LOCALIZATIONS.find((n) => n !== name)!)).filter((k) => k !== '$schema').sort());
  });

  it('is rejected by the schema, with a readable reason, when it is broken', () => {
    const broken: Localization = { ...json<Localization>('nl.json'), 'composeExtensions[0].commands[0].title': 'Zoek de Azure Backup-fout in deze melding op' };
    delete broken['description.short'];
    expect(problems(validateLocalization, broken)).toEqual([
      "/ must have required property 'description.short'",
      '/composeExtensions[0].commands[0].title must NOT have more than 32 characters',
    ]);
  });
});

describe('the Teams app package', () => {
  it('`npm run package:teams` zips the manifest with the app id, the icons and the localizations', () => {
    const root = fileURLToPath(new URL('..', import.meta.url));
    const appId = '11111111-2222-3333-4444-555555555555';
    const run = spawnSync('npm', ['run', '-s', 'package:teams'], { cwd: root, env: { ...process.env, MicrosoftAppId: appId }, encoding: 'utf8' });
    expect(run.status).toBe(0);
    const zip = unzipSync(readFileSync(new URL('../dist/backup-triage-teams.zip', import.meta.url)));
    expect(Object.keys(zip).sort()).toEqual(['color.png', 'manifest.json', 'nl.json', 'outline.png', 'sv.json']);
    const packaged = JSON.parse(Buffer.from(zip['manifest.json']!).toString('utf8')) as Manifest;
    expect(problems(validateManifest, packaged)).toEqual([]);
    expect(packaged.id).toBe(appId);
    expect(packaged.bots![0]!.botId).toBe(appId);
    expect(packaged.composeExtensions![0]!.botId).toBe(appId);
  }, 30_000);
});
