import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIAGNOSE_COMMAND } from '../src/adapters/teams/bot.ts';
import { startBot } from '../src/compose.ts';
import { createLogger } from '../src/server/logger.ts';
import type { RunningServer } from '../src/server/serve.ts';
import { sharedBot } from './helpers/bot.ts';
import { chromiumPath, startPlayground, type Playground } from './helpers/playground.ts';

// The bot's cards as Microsoft's own local Teams client (the Agents Playground) renders them with
// Teams' Adaptive Card renderer, in headless Chromium. Nothing leaves 127.0.0.1: the page's
// requests elsewhere (web fonts) are refused. The Playground has no `/` menu and sends no targeted
// messages, so the slash commands are covered in teams.test.ts only.
const browserPath = chromiumPath();
if (!browserPath && process.env.CI === 'true') throw new Error('Chromium is missing: .ci/run installs it (apt-get install chromium)');
if (!browserPath) console.warn('teams-playground: skipped, no Chromium (install the chromium package, or set CHROMIUM_PATH)');

const VAULT = 'Invalid vault credentials provided. The file is either corrupted or does not have the latest credentials associated with recovery service. (ID: 34513)';
const VSS = 'Snapshot operation failed because VSS writers were in a bad state.';

let server: RunningServer;
let playground: Playground;
let browser: Browser;
/** One chat for the file: the page takes seconds to load, a message well under one. */
let page: Page;

beforeAll(async () => {
  if (!browserPath) return;
  server = await startBot({ config: { port: 0, host: '127.0.0.1', logLevel: 'silent', teams: { mode: 'local' } }, logger: createLogger('silent'), engine: sharedBot() });
  await server.ready;
  playground = await startPlayground(`${server.url}/api/messages`);
  browser = await chromium.launch({ executablePath: browserPath, args: ['--no-sandbox'] });
  page = await openChat();
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await playground?.stop();
  await server?.stop();
});

/** The web client, its requests off 127.0.0.1 refused. */
async function openChat(): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1400, height: 3000 } });
  await page.route('**/*', (route) => (new URL(route.request().url()).hostname === '127.0.0.1' ? route.continue() : route.abort()));
  await page.goto(playground.url, { waitUntil: 'domcontentloaded' });
  await page.getByRole('textbox').waitFor();
  return page;
}

const cards = () => page.locator('.ac-adaptiveCard');

/** Sends a message as the user does, and returns the card that answers it. */
async function say(text: string): Promise<Locator> {
  const before = await cards().count();
  await page.getByRole('textbox').click();
  await page.keyboard.insertText(text);
  await page.keyboard.press('Enter');
  const card = cards().nth(before);
  await card.waitFor({ timeout: 20_000 });
  return card;
}

/** The text of every element of a card drawn in a monospace font. */
const monospace = (card: Locator) =>
  card.locator('.ac-textBlock').evaluateAll((els) => els.filter((e) => /mono|consolas|courier/iu.test(getComputedStyle(e).fontFamily)).map((e) => (e as HTMLElement).innerText.trim()));

// A real browser and client on a shared machine: each test gets a minute.
describe.skipIf(!browserPath)('Teams cards in the Agents Playground', { timeout: 60_000 }, () => {
  it('show code on lines of its own in a code font, and the whole fix in the cause table', async () => {
    const card = await say(VSS);
    expect(await monospace(card)).toEqual(expect.arrayContaining(['net stop serviceName', 'net start serviceName']));
    const text = await card.innerText();
    expect(text).toContain('1 · The VM is short on resources');
    expect(text).toContain('steps below');
    // The second cause's fix keeps its lettered sub-steps, not just its first sentence.
    expect(text).toMatch(/Restart the VSS writers that are in a bad state:\s+a\)\s+From an elevated command prompt, run vssadmin list writers\./u);
    expect(text).not.toContain('```');
  });

  it('moves to the next cause under its own heading, marks the table, and quotes a step with its number', async () => {
    await say(VAULT);
    const next = await say('it still fails');
    const text = await next.innerText();
    expect(text).toContain('Cause 2 of 3: A proxy server or firewall blocks the registration');
    expect(text).toMatch(/1 · The vault credentials are not valid\s+tried/u);
    expect(text).not.toContain('Most likely cause');
    const step = await say('what does step 2 mean?');
    // Each sentence its own line: nothing runs together.
    expect(await step.innerText()).toMatch(/From the answer about "Invalid vault credentials provided":\s*\n[\s\S]*Step 2 of 5\s*\n\s*2\.\s*\n?\s*If you don't use a proxy server/u);
  });

  it('acts on the card a button is on: 👍 updates that card once, a language button answers with its error', async () => {
    const first = await say(VAULT);
    await say('UserErrorFsFreezeFailed');
    const count = await cards().count();
    await first.getByRole('button', { name: /This helped/u }).click();
    await expect.poll(() => first.innerText(), { timeout: 10_000 }).toContain('Thanks for the feedback.');
    expect(await first.getByRole('button', { name: /This helped|This didn't help/u }).count()).toBe(0);
    expect(await cards().count()).toBe(count);
    await first.getByRole('button', { name: 'Nederlands' }).click();
    const dutch = cards().nth(count);
    await dutch.waitFor({ timeout: 20_000 });
    expect(await dutch.innerText()).toContain('Ongeldige kluisreferenties opgegeven');
    expect(await dutch.innerText()).not.toContain('UserErrorFsFreezeFailed');
  });

  it('"Diagnose this message" opens the answer in a dialog (fetchTask), whose buttons answer in it', async () => {
    const card = await say(VAULT);
    const count = await cards().count();
    // The "…" of the user's message, the one before the answer.
    const more = page.getByRole('button', { name: 'Show more information' });
    await more.nth((await more.count()) - 2).click();
    await page.getByRole('menuitem', { name: 'Action Command' }).click();
    // The Playground asks for the command, and how its dialog is made: fetched from the app.
    const setup = page.getByRole('dialog');
    await setup.getByPlaceholder('Input command id or leave blanks').fill(DIAGNOSE_COMMAND);
    await setup.getByLabel('Adaptive Cards').check();
    await setup.getByRole('button', { name: 'Create' }).click();
    const dialog = page.getByRole('dialog').filter({ has: page.locator('.ac-adaptiveCard') });
    await expect.poll(() => dialog.innerText(), { timeout: 20_000 }).toContain('1 · The vault credentials are not valid');
    expect(await dialog.innerText()).toContain('Invalid vault credentials provided');
    await dialog.getByRole('button', { name: 'Nederlands' }).click();
    await expect.poll(() => dialog.innerText(), { timeout: 20_000 }).toContain('Ongeldige kluisreferenties opgegeven');
    await dialog.getByRole('button', { name: '👍 Dit hielp' }).click();
    await expect.poll(() => dialog.innerText(), { timeout: 20_000 }).toContain('Bedankt voor de feedback.');
    expect(await dialog.getByRole('button', { name: /Dit hielp/u }).count()).toBe(0);
    await dialog.getByRole('button', { name: 'Close' }).click();
    await dialog.waitFor({ state: 'detached' });
    // All of it happened in the dialog: nothing was posted in the chat, the card in it is unchanged.
    expect(await cards().count()).toBe(count);
    expect(await card.innerText()).not.toContain('Bedankt');
  });

  it('offers candidates with their products on the buttons, titles whole', async () => {
    const card = await say('Invalid vault credentials provided. The file is corrupted or does not have the latest credentials associated with recovery service.');
    const labels = await card.getByRole('button').allInnerTexts();
    expect(labels).toEqual(expect.arrayContaining(['1. Invalid vault credentials provided (Azure Backup Server / DPM)', '2. Invalid vault credentials provided (MARS agent)']));
  });
});
