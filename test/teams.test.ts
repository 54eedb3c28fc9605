import { ConfigurationServiceClientCredentialFactory, type TurnContext } from 'botbuilder';
import nock from 'nock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { sendTargeted } from '../src/adapters/teams/targeted.ts';
import { createLogger } from '../src/server/logger.ts';
import { startBot } from '../src/compose.ts';
import type { RunningServer } from '../src/server/serve.ts';
import { sharedBot } from './helpers/bot.ts';
import { loopbackOnly } from './helpers/network.ts';
import { noWait } from './helpers/slack.ts';
import { activity, CONNECTOR, fakeConnector, GROUP_CHAT, invoke, post, SERVICE_URL, targeted } from './helpers/teams.ts';

const PASTE = 'Error 34506. The encryption passphrase stored on this computer is not correctly configured.';
const VAULT = 'Invalid vault credentials provided. The file is either corrupted or does not have the latest credentials associated with recovery service. (ID: 34513)';
/** The user of every activity the tests send, as Teams names them. */
const USER = { id: '29:user-1', name: 'Admin', aadObjectId: '00000000-0000-0000-0000-00000000aaaa' };

let server: RunningServer;
let connector: ReturnType<typeof fakeConnector>;

loopbackOnly();
beforeEach(async () => {
  connector = fakeConnector();
  server = await startBot({ config: { port: 0, host: '127.0.0.1', logLevel: 'silent', teams: { mode: 'local' } }, logger: createLogger('silent'), engine: sharedBot(), sleep: noWait().sleep });
  await server.ready;
});
afterEach(async () => {
  await server.stop();
  nock.cleanAll();
});

type Element = { type: string; text?: string; rows?: unknown[]; fontType?: string } & Record<string, unknown>;
type Card = { version: string; body: Element[]; actions: { title: string; data?: Record<string, unknown> }[]; fallbackText: string };
const cardOf = (i = 0): Card => connector.sent[i]!.body.attachments![0]!.content as unknown as Card;

/** Every element of a card, depth first, as Teams lays them out. */
function elements(card: Card): Element[] {
  const out: Element[] = [];
  const visit = (e: Element) => {
    out.push(e);
    for (const key of ['body', 'items', 'columns', 'rows', 'cells', 'actions']) if (Array.isArray(e[key])) (e[key] as Element[]).forEach(visit);
  };
  card.body.forEach(visit);
  return out;
}

/** The text a user reads on a card, one TextBlock per line. */
const textOf = (card: Card) => elements(card).filter((e) => e.type === 'TextBlock').map((e) => e.text ?? '').join('\n');

describe('Teams: messages', () => {
  it('answers an activity delivered twice once', async () => {
    const incoming = activity(PASTE);
    expect((await post(server.url, incoming)).status).toBe(200);
    expect((await post(server.url, incoming)).status).toBe(200);
    expect(connector.sent).toHaveLength(1);
    expect((await post(server.url, activity(PASTE))).status).toBe(200);
    expect(connector.sent).toHaveLength(2);
  });

  it('answers a personal chat message with an Adaptive Card 1.5: title, cause table, steps, article, buttons', async () => {
    const incoming = activity(PASTE);
    const res = await post(server.url, incoming);
    expect(res.status).toBe(200);
    expect(connector.sent).toHaveLength(1);
    const reply = connector.sent[0]!;
    expect(reply.path).toBe(`/amer/v3/conversations/a:personal-1/activities/${String(incoming.id)}`);
    expect(reply.body.replyToId).toBe(incoming.id);
    expect(reply.body.attachments![0]!.contentType).toBe('application/vnd.microsoft.card.adaptive');
    const card = cardOf();
    expect(card.version).toBe('1.5');
    expect(card.body[0]).toMatchObject({ type: 'TextBlock', text: 'Encryption passphrase not correctly configured' });
    expect(card.body.some((b) => b.type === 'Table' && (b.rows?.length ?? 0) === 4)).toBe(true);
    expect(textOf(card)).toContain('Most likely cause (1 of 3)');
    expect(textOf(card)).toContain('backup-azure-mars-troubleshoot');
    expect(card.actions.map((a) => a.title)).toEqual(['Other causes', 'Nederlands', 'Svenska', '👍 This helped', "👎 This didn't help"]);
    expect(card.fallbackText).toContain('Encryption passphrase not correctly configured');
    expect(Buffer.byteLength(JSON.stringify(card))).toBeLessThan(80 * 1024);
  });

  it('strips the @mention in a channel and keeps the answer and the follow-up in the channel thread', async () => {
    const conversation = { id: '19:abc@thread.tacv2;messageid=1700000000000', conversationType: 'channel', tenantId: 'tenant-1' };
    const mention = { type: 'mention', mentioned: { id: '28:bot-1', name: 'backup-triage' }, text: '<at>backup-triage</at>' };
    await post(server.url, activity(`<at>backup-triage</at> ${PASTE}`, { conversation, entities: [mention] }));
    await post(server.url, activity('<at>backup-triage</at> what does step 2 mean?', { conversation, entities: [mention] }));
    expect(connector.sent).toHaveLength(2);
    expect(connector.sent.every((s) => s.path.includes('19:abc@thread.tacv2;messageid=1700000000000'))).toBe(true);
    expect(cardOf(0).body[0]!.text).toBe('Encryption passphrase not correctly configured');
    expect(textOf(cardOf(1))).toContain('Step 2 of');
  });

  it('answers in the language of activity.locale when the message has no words of its own', async () => {
    await post(server.url, activity('Error 34506', { locale: 'nl-NL' }));
    expect(cardOf().body[0]!.text).toBe('Versleutelingswachtwoordzin niet correct geconfigureerd');
  });

  it('runs the command menu: "diagnose <text>" and "help", with or without their slash', async () => {
    await post(server.url, activity('diagnose UserErrorFsFreezeFailed'));
    await post(server.url, activity('help', { conversation: { id: 'a:personal-2', conversationType: 'personal' } }));
    await post(server.url, activity('/diagnose UserErrorFsFreezeFailed', { conversation: { id: 'a:personal-3', conversationType: 'personal' } }));
    expect(cardOf(0).body[0]!.text).toContain('freeze');
    // Help is words only: a text message, not a card.
    expect(connector.sent[1]!.body.text).toContain('I help with Azure Backup errors');
    expect(cardOf(2).body[0]!.text).toBe(cardOf(0).body[0]!.text);
  });

  it('handles the card buttons: a language button on an older card, then feedback given once', async () => {
    await post(server.url, activity(PASTE));
    await post(server.url, activity('UserErrorFsFreezeFailed'));
    const first = cardOf(0);
    const click = (card: Card, title: string, replyToId: string) => post(server.url, activity('', { value: card.actions.find((a) => a.title === title)!.data, replyToId }));
    await click(first, 'Svenska', 'reply-1');
    expect(textOf(cardOf(2))).toContain('Krypteringslösenfrasen är inte korrekt konfigurerad');
    expect(textOf(cardOf(2))).not.toContain('UserErrorFsFreezeFailed');
    // 👍 on the Swedish card: the card is updated in place, its feedback buttons replaced by thanks.
    await click(cardOf(2), '👍 Det här hjälpte', 'reply-3');
    expect(connector.sent.map((x) => x.method)).toEqual(['POST', 'POST', 'POST', 'PUT']);
    expect(connector.sent[3]!.path).toContain('/activities/reply-3');
    const updated = connector.sent[3]!.body.attachments![0]!.content as unknown as Card;
    expect(textOf(updated)).toContain('Tack för återkopplingen.');
    expect(updated.actions.map((a) => a.title)).toEqual(['Andra orsaker', 'English', 'Nederlands']);
  });

  it('thanks once for feedback on a card it no longer holds, however often it is clicked', async () => {
    const value = { bt: 'bt1|down|nl|mars/encryption-passphrase-not-configured' };
    await post(server.url, activity('', { value, replyToId: 'card-from-before-a-restart' }));
    await post(server.url, activity('', { value, replyToId: 'card-from-before-a-restart' }));
    expect(connector.sent.map((x) => x.body.text)).toEqual(['Bedankt voor de feedback.']);
  });
});

describe('Teams when the engine fails', () => {
  it('answers a message, a targeted message and the message extension with the localized error reply', async () => {
    await server.stop();
    const broken = { handle: () => Promise.reject(new Error('index corrupt')), remember: () => Promise.resolve() };
    server = await startBot({ config: { port: 0, host: '127.0.0.1', logLevel: 'silent', teams: { mode: 'local' } }, logger: createLogger('silent'), engine: broken, sleep: noWait().sleep });
    await server.ready;
    expect((await post(server.url, activity(PASTE, { locale: 'sv-SE' }))).status).toBe(200);
    expect((await post(server.url, targeted(`diagnose ${PASTE}`, { locale: 'nl-NL' }))).status).toBe(200);
    expect(connector.sent.map((x) => x.body.text)).toEqual([expect.stringContaining('Något gick fel hos mig när jag skulle svara.'), expect.stringContaining('Er ging bij mij iets mis')]);
    // The apology for a targeted message is one too: the group doesn't see it.
    expect(connector.sent[1]!.path).toMatch(/\?isTargetedActivity=true$/u);
    const res = await post(server.url, invoke('composeExtension/fetchTask', { messagePayload: { id: 'm-9', body: { contentType: 'html', content: PASTE } } }));
    expect(res.status).toBe(200);
    expect(JSON.stringify(await res.json())).toContain('Something went wrong on my side while answering.');
  });
});

type Dialog = { task: { type: string; value: { title: string; width: string; height: string; card: { contentType: string; content: Card } } } };

describe('Teams: "Diagnose this message" (the message extension)', () => {
  const message = { id: 'm-1', body: { contentType: 'html', content: `<p>${PASTE}</p>` } };
  const open = async (value: Record<string, unknown> = { messagePayload: message }) => {
    const res = await post(server.url, invoke('composeExtension/fetchTask', value));
    expect(res.status).toBe(200);
    return (await res.json()) as Dialog;
  };
  const submit = async (data: Record<string, unknown> | undefined) => {
    const res = await post(server.url, invoke('composeExtension/submitAction', { messagePayload: message, ...(data ? { data } : {}) }));
    expect(res.status).toBe(200);
    return (await res.json()) as Dialog;
  };

  it('opens a dialog with the answer card when Teams asks for it (fetchTask), and posts nothing in the chat', async () => {
    const dialog = await open();
    expect(dialog.task).toMatchObject({ type: 'continue', value: { title: 'Encryption passphrase not correctly configured', width: 'large', height: 'large' } });
    expect(dialog.task.value.card.contentType).toBe('application/vnd.microsoft.card.adaptive');
    const card = dialog.task.value.card.content;
    expect(card.version).toBe('1.5');
    expect(card.body[0]).toMatchObject({ type: 'TextBlock', text: 'Encryption passphrase not correctly configured' });
    // The cause table: a header row and the three causes, the most likely one first.
    expect(card.body.find((b) => b.type === 'Table')?.rows).toHaveLength(4);
    expect(textOf(card)).toContain('Most likely cause (1 of 3)');
    expect(textOf(card)).toContain('1 · ');
    expect(connector.sent).toEqual([]);
  });

  it("answers the dialog card's buttons in the dialog: another language, then 👍 thanked on that card", async () => {
    const first = (await open()).task.value.card.content;
    const swedish = (await submit(first.actions.find((a) => a.title === 'Svenska')!.data)).task.value.card.content;
    expect(textOf(swedish)).toContain('Krypteringslösenfrasen är inte korrekt konfigurerad');
    const thanked = (await submit(swedish.actions.find((a) => a.title === '👍 Det här hjälpte')!.data)).task.value.card.content;
    // The same card, thanked: not a new answer.
    expect(thanked.body.slice(0, 3)).toEqual(swedish.body.slice(0, 3));
    expect(textOf(thanked)).toContain('Tack för återkopplingen.');
    expect(thanked.actions.map((a) => a.title)).toEqual(['Andra orsaker', 'English', 'Nederlands']);
    expect(connector.sent).toEqual([]);
  });

  it('still diagnoses the message a submit carries without a dialog first (an app installed with fetchTask: false)', async () => {
    const dialog = await submit(undefined);
    expect(dialog.task.type).toBe('continue');
    expect(dialog.task.value.card.content.body[0]!.text).toBe('Encryption passphrase not correctly configured');
  });

  it('closes the dialog on a submit that is neither, and refuses a command it does not have', async () => {
    const res = await post(server.url, invoke('composeExtension/submitAction', { data: { something: 'else' } }));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({});
    for (const name of ['composeExtension/fetchTask', 'composeExtension/submitAction'] as const) {
      const other = await post(server.url, invoke(name, { commandId: 'somethingElse', messagePayload: message }));
      expect(other.status).toBe(400);
    }
    expect(connector.sent).toEqual([]);
  });
});

describe('Teams: the / menu (targeted messages)', () => {
  const TARGETED_PATH = `/amer/v3/conversations/${GROUP_CHAT.id}/activities?isTargetedActivity=true`;

  it('answers "diagnose <text>" privately: a targeted message to the user who asked, naming their message', async () => {
    const incoming = targeted(`diagnose ${VAULT}`);
    expect((await post(server.url, incoming)).status).toBe(200);
    expect(connector.sent).toHaveLength(1);
    const reply = connector.sent[0]!;
    // Not a reply to the user's message (a targeted message can't be one), but a new one, for them only.
    expect(reply).toMatchObject({ method: 'POST', path: TARGETED_PATH });
    expect(reply.body.replyToId).toBeUndefined();
    expect(reply.body.recipient).toEqual({ ...USER, isTargeted: true });
    expect(reply.body.conversation).toMatchObject({ id: GROUP_CHAT.id });
    // Teams shows the message it answers above it.
    expect(reply.body.entities).toContainEqual({ type: 'targetedMessageInfo', messageId: incoming.id });
    const card = cardOf();
    expect(card.body[0]!.text).toBe('Invalid vault credentials provided');
    expect(textOf(card)).toContain('1 · The vault credentials are not valid');
    // Its buttons say the card is private, so that their clicks are answered privately as well.
    expect(card.actions.length).toBeGreaterThan(0);
    expect(card.actions.every((a) => a.data?.private === true)).toBe(true);
  });

  it('answers "help" and "language <name>" from the / menu privately too', async () => {
    await post(server.url, targeted('help'));
    await post(server.url, targeted(`diagnose ${VAULT}`));
    await post(server.url, targeted('language nl'));
    expect(connector.sent.map((s) => s.path)).toEqual([TARGETED_PATH, TARGETED_PATH, TARGETED_PATH]);
    expect(connector.sent[0]!.body.text).toContain('I help with Azure Backup errors');
    expect(textOf(cardOf(2))).toContain('Ongeldige kluisreferenties opgegeven');
  });

  it('keeps the private exchange private: its follow-ups continue it, the group chat does not see it', async () => {
    const mention = { type: 'mention', mentioned: { id: '28:bot-1', name: 'backup-triage' }, text: '<at>backup-triage</at>' };
    await post(server.url, targeted(`diagnose ${VAULT}`));
    await post(server.url, activity('<at>backup-triage</at> it still fails', { conversation: GROUP_CHAT, entities: [mention] }));
    await post(server.url, targeted('it still fails'));
    const [, open, next] = connector.sent;
    expect(open!.path).not.toContain('isTargetedActivity');
    expect(JSON.stringify(open!.body)).not.toContain('vault');
    expect(next!.path).toBe(TARGETED_PATH);
    expect(textOf(cardOf(2))).toContain('Cause 2 of 3');
  });

  it('answers a click on the private card privately, and updates that card as a targeted message', async () => {
    await post(server.url, targeted(`diagnose ${PASTE}`));
    const card = cardOf(0);
    // A click reaches the bot as a message with the button's data, a reply to the card (reply-1).
    const click = (title: string) => post(server.url, activity('', { conversation: GROUP_CHAT, value: card.actions.find((a) => a.title === title)!.data, replyToId: 'reply-1' }));
    await click('Svenska');
    expect(connector.sent[1]).toMatchObject({ method: 'POST', path: TARGETED_PATH, body: { recipient: { ...USER, isTargeted: true } } });
    // The click is no targeted message itself: there is no message to name.
    expect(connector.sent[1]!.body.entities ?? []).not.toContainEqual(expect.objectContaining({ type: 'targetedMessageInfo' }));
    expect(textOf(cardOf(1))).toContain('Krypteringslösenfrasen är inte korrekt konfigurerad');
    await click('👍 This helped');
    expect(connector.sent[2]).toMatchObject({ method: 'PUT', path: `/amer/v3/conversations/${GROUP_CHAT.id}/activities/reply-1?isTargetedActivity=true` });
    // An update names no recipient: the message keeps the one it has.
    expect(connector.sent[2]!.body.recipient).toBeUndefined();
    expect(textOf(connector.sent[2]!.body.attachments![0]!.content as unknown as Card)).toContain('Thanks for the feedback.');
  });

  it('in a channel thread, sends the targeted message to the channel: a targeted message is no thread reply', async () => {
    const conversation = { id: '19:abc@thread.tacv2;messageid=1700000000000', conversationType: 'channel', tenantId: 'tenant-1' };
    await post(server.url, targeted(`diagnose ${VAULT}`, { conversation }));
    expect(connector.sent[0]).toMatchObject({ method: 'POST', path: '/amer/v3/conversations/19:abc@thread.tacv2/activities?isTargetedActivity=true', body: { conversation: { id: '19:abc@thread.tacv2' } } });
  });

  it('answers a message marked targeted in a 1:1 chat as any other: a 1:1 chat is private already', async () => {
    const incoming = targeted(`diagnose ${VAULT}`, { conversation: { id: 'a:personal-1', conversationType: 'personal', tenantId: 'tenant-1' } });
    await post(server.url, incoming);
    expect(connector.sent[0]!.path).toBe(`/amer/v3/conversations/a:personal-1/activities/${String(incoming.id)}`);
  });

  it("signs a targeted message with the bot's token, as botbuilder signs its own calls", async () => {
    const appId = '00000000-0000-0000-0000-0000000000b1';
    const credentials = await new ConfigurationServiceClientCredentialFactory({ MicrosoftAppId: appId, MicrosoftAppPassword: 'secret', MicrosoftAppType: 'MultiTenant' }).createCredentials(
      appId,
      'https://api.botframework.com',
      'https://login.microsoftonline.com/botframework.com',
      true,
    );
    // The token as the credentials would fetch it from Entra ID.
    vi.spyOn(credentials as unknown as { getToken(): Promise<string> }, 'getToken').mockResolvedValue('a-token');
    nock.cleanAll();
    let authorization: unknown;
    nock(CONNECTOR)
      .post(/\/activities\?isTargetedActivity=true$/u)
      .reply(function () {
        authorization = this.req.headers.authorization;
        return [200, { id: 'reply-signed' }];
      });
    const context = { activity: targeted(`diagnose ${VAULT}`) } as unknown as TurnContext;
    const message = { type: 'message', text: 'answer', serviceUrl: SERVICE_URL, conversation: GROUP_CHAT as never, from: { id: '28:bot-1', name: 'backup-triage' }, recipient: USER };
    expect(await sendTargeted(message, { context, connector: { credentials } })).toEqual({ id: 'reply-signed' });
    expect(authorization).toBe('Bearer a-token');
  });

  it('retries a targeted message that Teams throttled (429) and posts it once', async () => {
    nock.cleanAll();
    const calls: string[] = [];
    nock(CONNECTOR)
      .post(/\/activities\?isTargetedActivity=true$/u)
      .reply((path) => {
        calls.push(`429 ${path}`);
        return [429, { error: { code: 'Throttled' } }, { 'retry-after': '1' }];
      })
      .post(/\/activities\?isTargetedActivity=true$/u)
      .reply((path) => {
        calls.push(`200 ${path}`);
        return [200, { id: 'reply-ok' }];
      });
    expect((await post(server.url, targeted(`diagnose ${VAULT}`))).status).toBe(200);
    expect(calls.map(decodeURIComponent)).toEqual([`429 ${TARGETED_PATH}`, `200 ${TARGETED_PATH}`]);
  });
});

describe('Teams: bad input and limits', () => {
  it('gives 400 for a malformed body and stays up', async () => {
    expect((await post(server.url, '{"type": "message", "text": ')).status).toBe(400);
    expect((await post(server.url, '[1, 2, 3]')).status).toBe(400);
    expect((await post(server.url, { text: 'no type' })).status).toBe(400);
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  });

  it('retries a reply that Teams throttled (429) and posts it once', async () => {
    nock.cleanAll();
    const calls: number[] = [];
    nock(CONNECTOR)
      .post(/\/activities/u)
      .reply(() => {
        calls.push(429);
        return [429, { error: { code: 'Throttled' } }];
      })
      .post(/\/activities/u)
      .reply(() => {
        calls.push(200);
        return [200, { id: 'reply-ok' }];
      });
    const res = await post(server.url, activity(PASTE, { serviceUrl: SERVICE_URL }));
    expect(res.status).toBe(200);
    expect(calls).toEqual([429, 200]);
  });
});

describe('Teams with credentials', () => {
  it('refuses a request without a valid Bot Framework token with 401, and sends nothing', async () => {
    await server.stop();
    const teams = { mode: 'authenticated' as const, appId: '00000000-0000-0000-0000-0000000000b1', appPassword: 'secret', appType: 'MultiTenant' as const };
    server = await startBot({ config: { port: 0, host: '127.0.0.1', logLevel: 'silent', teams }, logger: createLogger('silent'), engine: sharedBot() });
    await server.ready;
    // The OpenID metadata and signing keys of the Bot Framework, stubbed: the token below isn't signed by them.
    nock('https://login.botframework.com')
      .persist()
      .get('/v1/.well-known/openidconfiguration')
      .reply(200, { issuer: 'https://api.botframework.com', jwks_uri: 'https://login.botframework.com/v1/.well-known/keys', id_token_signing_alg_values_supported: ['RS256'] })
      .get('/v1/.well-known/keys')
      .reply(200, { keys: [] });
    nock('https://login.microsoftonline.com').persist().get(/.*/u).reply(200, { issuer: 'x', jwks_uri: 'https://login.botframework.com/v1/.well-known/keys' });
    const header = Buffer.from(JSON.stringify({ alg: 'RS256', typ: 'JWT', kid: 'unknown' })).toString('base64url');
    const claims = Buffer.from(JSON.stringify({ iss: 'https://api.botframework.com', aud: teams.appId, exp: Math.floor(Date.now() / 1000) + 600 })).toString('base64url');
    const forged = `${header}.${claims}.c2lnbmF0dXJl`;

    expect((await post(server.url, activity(PASTE))).status).toBe(401);
    expect((await post(server.url, activity(PASTE), { authorization: `Bearer ${forged}` })).status).toBe(401);
    expect(connector.sent).toEqual([]);
  });
});
