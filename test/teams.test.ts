import nock from 'nock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../src/server/logger.ts';
import { startBot } from '../src/compose.ts';
import type { RunningServer } from '../src/server/serve.ts';
import { sharedBot } from './helpers/bot.ts';
import { loopbackOnly } from './helpers/network.ts';
import { noWait } from './helpers/slack.ts';
import { activity, CONNECTOR, fakeConnector, post, SERVICE_URL } from './helpers/teams.ts';

const PASTE = 'Error 34506. The encryption passphrase stored on this computer is not correctly configured.';

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

  it('runs the command menu: "diagnose <text>" and "help"', async () => {
    await post(server.url, activity('diagnose UserErrorFsFreezeFailed'));
    await post(server.url, activity('help', { conversation: { id: 'a:personal-2', conversationType: 'personal' } }));
    expect(cardOf(0).body[0]!.text).toContain('freeze');
    // Help is words only: a text message, not a card.
    expect(connector.sent[1]!.body.text).toContain('I help with Azure Backup errors');
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
  it('answers a message and the message extension with the localized error reply', async () => {
    await server.stop();
    const broken = { handle: () => Promise.reject(new Error('index corrupt')), remember: () => Promise.resolve() };
    server = await startBot({ config: { port: 0, host: '127.0.0.1', logLevel: 'silent', teams: { mode: 'local' } }, logger: createLogger('silent'), engine: broken, sleep: noWait().sleep });
    await server.ready;
    expect((await post(server.url, activity(PASTE, { locale: 'sv-SE' }))).status).toBe(200);
    expect(connector.sent.map((x) => x.body.text)).toEqual([expect.stringContaining('Något gick fel hos mig när jag skulle svara.')]);
    const invoke = activity('', {
      type: 'invoke',
      name: 'composeExtension/submitAction',
      value: { commandId: 'diagnoseMessage', commandContext: 'message', messagePayload: { id: 'm-9', body: { contentType: 'html', content: PASTE } } },
    });
    const res = await post(server.url, invoke);
    expect(res.status).toBe(200);
    expect(JSON.stringify(await res.json())).toContain('Something went wrong on my side while answering.');
  });
});

describe('Teams: the message extension', () => {
  it('answers "Diagnose this message" with the card in its invoke response', async () => {
    const invoke = activity('', {
      type: 'invoke',
      name: 'composeExtension/submitAction',
      value: { commandId: 'diagnoseMessage', commandContext: 'message', messagePayload: { id: 'm-1', body: { contentType: 'html', content: `<p>${PASTE}</p>` } } },
    });
    const res = await post(server.url, invoke);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { task: { type: string; value: { card: { contentType: string; content: Card } } } };
    expect(body.task.type).toBe('continue');
    expect(body.task.value.card.contentType).toBe('application/vnd.microsoft.card.adaptive');
    expect(body.task.value.card.content.body[0]!.text).toBe('Encryption passphrase not correctly configured');
    expect(connector.sent).toEqual([]);
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
