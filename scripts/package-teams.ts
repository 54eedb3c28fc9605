/**
 * Builds the Teams app package to upload: dist/backup-triage-teams.zip with the manifest, its
 * localizations and the two icons. MicrosoftAppId, when set, goes into the manifest's id and botId.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { zipSync } from 'fflate';

const dir = new URL('../manifest/teams/', import.meta.url);
const out = new URL('../dist/backup-triage-teams.zip', import.meta.url);
const PLACEHOLDER = '00000000-0000-0000-0000-000000000000';
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/iu;

const appId = process.env.MicrosoftAppId?.trim();
if (appId && !GUID.test(appId)) {
  process.stderr.write(`package:teams: MicrosoftAppId is malformed: set it to the bot's Microsoft App ID (a GUID)\n`);
  process.exit(1);
}
const manifest = readFileSync(new URL('manifest.json', dir), 'utf8').replaceAll(PLACEHOLDER, appId ?? PLACEHOLDER);
const files: Record<string, Uint8Array> = { 'manifest.json': Buffer.from(manifest) };
for (const name of ['color.png', 'outline.png', 'nl.json', 'sv.json']) files[name] = readFileSync(new URL(name, dir));
mkdirSync(new URL('.', out), { recursive: true });
writeFileSync(out, zipSync(files, { level: 9 }));
process.stdout.write(`wrote dist/backup-triage-teams.zip (${Object.keys(files).join(', ')})\n`);
if (!appId) process.stdout.write('note: MicrosoftAppId is not set, so the package carries a placeholder id; set it before uploading to Teams.\n');
