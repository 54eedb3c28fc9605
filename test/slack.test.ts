import nock from 'nock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RunningServer } from '../src/server/serve.ts';
import { actionOf } from '../src/adapters/slack/blocks.ts';
import { sharedBot } from './helpers/bot.ts';
import { loopbackOnly } from './helpers/network.ts';
import { eventBody, fakeWebApi, formBody, logSink, sendSigned, sign, startSlackServer, type Posted } from './helpers/slack.ts';

const PASTE = 'Error 34506. The encryption passphrase stored on this computer is not correctly configured.';

let server: RunningServer;
let api: ReturnType<typeof fakeWebApi>;
let logs: ReturnType<typeof logSink>;

loopbackOnly();
beforeEach(async () => {
  api = fakeWebApi();
  logs = logSink();
  server = await startSlackServer(sharedBot(), {}, logs.logger);
});
afterEach(async () => {
  await server.stop();
  nock.cleanAll();
});

/** Waits for the answers in flight, then returns what was posted. */
async function posted(): Promise<Posted[]> {
  await server.http.tracker.drain(5000);
  return api.calls;
}

/** The buttons of a posted message, in order. */
function buttonsOf(post: Posted): { action_id: string; value: string; text: { text: string } }[] {
  const blocks = post.body.blocks as { type: string; elements?: { action_id: string; value: string; text: { text: string } }[] }[];
  return blocks.filter((b) => b.type === 'actions').flatMap((b) => b.elements ?? []);
}

function message(extra: Record<string, unknown> = {}) {
  return { type: 'message', channel: 'C1', channel_type: 'channel', user: 'U1', text: PASTE, ts: '1700000001.000100', ...extra };
}

describe('Slack over HTTP: signatures', () => {
  it('answers the URL verification challenge of a signed request', async () => {
    const res = await sendSigned(server.url, JSON.stringify({ type: 'url_verification', challenge: 'c-123', token: 'x' }));
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('c-123');
  });

  it('refuses a forged signature and a stale timestamp with 401', async () => {
    const body = eventBody(message());
    const forged = await sendSigned(server.url, body, { signature: sign(body, Math.floor(Date.now() / 1000), 'another-secret-000000') });
    expect(forged.status).toBe(401);
    const old = Math.floor(Date.now() / 1000) - 10 * 60;
    const stale = await sendSigned(server.url, body, { timestamp: old, signature: sign(body, old) });
    expect(stale.status).toBe(401);
    expect(await posted()).toEqual([]);
  });

  it('refuses a body over the size limit with 413 before reading it', async () => {
    const body = eventBody(message({ text: 'x'.repeat(2 * 1024 * 1024) }));
    const res = await sendSigned(server.url, body);
    expect(res.status).toBe(413);
  });

  it('reports healthy on /healthz', async () => {
    const res = await fetch(`${server.url}/healthz`);
    expect(res.status).toBe(200);
  });
});

describe('Slack over HTTP: answering', () => {
  it('answers a pasted error in a channel in the message thread, with the cause table, steps and buttons', async () => {
    const res = await sendSigned(server.url, eventBody(message()));
    expect(res.status).toBe(200);
    const [post, ...rest] = await posted();
    expect(rest).toEqual([]);
    expect(post!.method).toBe('chat.postMessage');
    expect(post!.body).toMatchObject({ channel: 'C1', thread_ts: '1700000001.000100' });
    expect(String(post!.body.text)).toContain('Encryption passphrase not correctly configured');
    const blocks = post!.body.blocks as { type: string }[];
    expect(blocks[0]).toMatchObject({ type: 'header' });
    expect(blocks.map((b) => b.type)).toEqual(expect.arrayContaining(['table', 'rich_text', 'context', 'actions']));
    const actions = buttonsOf(post!).map((b) => [b.text.text, actionOf(b.value)?.type]);
    expect(actions).toEqual([
      ['Other causes', 'more_causes'],
      ['Nederlands', 'language'],
      ['Svenska', 'language'],
      ['👍 This helped', 'feedback'],
      ["👎 This didn't help", 'feedback'],
    ]);
  });

  it('answers a retried event and the same message as app_mention only once', async () => {
    const body = eventBody(message({ text: `<@UBOT> ${PASTE}` }), 'EvSame1');
    await sendSigned(server.url, eventBody({ type: 'app_mention', channel: 'C1', user: 'U1', text: `<@UBOT> ${PASTE}`, ts: '1700000001.000100' }));
    await sendSigned(server.url, body);
    await sendSigned(server.url, body, { headers: { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' } });
    expect((await posted()).filter((c) => c.method === 'chat.postMessage')).toHaveLength(1);
  });

  it('ignores bots, its own messages, edits and joins: each event is taken (200), none answered', async () => {
    const statuses = [];
    for (const extra of [{ bot_id: 'B2', ts: '1700000002.000100' }, { user: 'UBOT', ts: '1700000003.000100' }, { subtype: 'message_changed', ts: '1700000004.000100' }, { subtype: 'channel_join', text: 'joined', ts: '1700000005.000100' }]) {
      statuses.push((await sendSigned(server.url, eventBody(message(extra)))).status);
    }
    expect(statuses).toEqual([200, 200, 200, 200]);
    expect(await posted()).toEqual([]);
    // The same paste from a person is answered: the silence above is about who sent it.
    await sendSigned(server.url, eventBody(message({ ts: '1700000002.000200' })));
    expect(await posted()).toHaveLength(1);
  });

  it('stays quiet in a channel when the message is not a confident paste, and in threads it never answered', async () => {
    const lunch = await sendSigned(server.url, eventBody(message({ text: 'lunch at 12?', ts: '1700000006.000100' })));
    const reply = await sendSigned(server.url, eventBody(message({ text: 'what does step 2 mean?', ts: '1700000006.000300', thread_ts: '1700000006.000200' })));
    expect([lunch.status, reply.status]).toEqual([200, 200]);
    expect(await posted()).toEqual([]);
    expect(logs.lines.join('\n')).not.toContain('"answered"');
  });

  it('answers a follow-up in its thread without a mention', async () => {
    await sendSigned(server.url, eventBody(message()));
    await posted();
    await sendSigned(server.url, eventBody(message({ text: 'what does step 2 mean?', ts: '1700000001.000200', thread_ts: '1700000001.000100' })));
    const calls = await posted();
    expect(calls).toHaveLength(2);
    expect(calls[1]!.body).toMatchObject({ thread_ts: '1700000001.000100' });
    expect(String(calls[1]!.body.text)).toContain('Step 2 of');
  });

  it('leaves a thread reply alone when it is meant for someone else', async () => {
    await sendSigned(server.url, eventBody(message()));
    await posted();
    const res = await sendSigned(server.url, eventBody(message({ text: '<@U0MARIA> how much free space does the scratch volume need?', ts: '1700000001.000300', thread_ts: '1700000001.000100' })));
    expect(res.status).toBe(200);
    expect(await posted()).toHaveLength(1);
    // The same question to nobody in particular is for the bot.
    await sendSigned(server.url, eventBody(message({ text: 'how much free space does the scratch volume need?', ts: '1700000001.000400', thread_ts: '1700000001.000100' })));
    expect(await posted()).toHaveLength(2);
  });

  it('answers a direct message in Dutch when the user writes Dutch', async () => {
    await sendSigned(server.url, eventBody(message({ channel: 'D1', channel_type: 'im', text: `ik krijg deze fout: ${PASTE}` })));
    const [post] = await posted();
    expect(post!.body).toMatchObject({ channel: 'D1' });
    expect(String(post!.body.text)).toContain('Versleutelingswachtwoordzin niet correct geconfigureerd');
  });

  it('keeps server names and addresses out of the logs', async () => {
    await sendSigned(server.url, eventBody(message({ text: `srv-app04.contoso.local (10.1.2.3) says ${PASTE}` })));
    await posted();
    const log = logs.lines.join('\n');
    expect(log).toContain('"answered"');
    expect(log).not.toContain('srv-app04');
    expect(log).not.toContain('10.1.2.3');
  });
});

describe('Slack over HTTP: command, shortcut and buttons', () => {
  it('acknowledges the slash command before the answer is posted in the channel', async () => {
    nock.cleanAll();
    api = fakeWebApi({ usersInfoDelayMs: 300 });
    const body = formBody({ command: '/backup-triage', text: 'UserErrorFsFreezeFailed', team_id: 'T1', channel_id: 'C1', user_id: 'U1', trigger_id: 'tr1', response_url: 'https://hooks.slack.com/commands/x' });
    const res = await sendSigned(server.url, body, { contentType: 'application/x-www-form-urlencoded' });
    expect(res.status).toBe(200);
    // The ack came back while the answer was still being worked on.
    expect(server.http.tracker.size).toBe(1);
    expect(api.calls).toEqual([]);
    const [post] = await posted();
    expect(post!.body).toMatchObject({ channel: 'C1' });
    expect(post!.body.thread_ts).toBeUndefined();
    expect(String(post!.body.text)).toContain('UserErrorFsFreezeFailed');
    // The answer (ts 1700000000.000001 from the fake API) became a thread root: a follow-up in
    // its thread is answered there.
    await sendSigned(server.url, eventBody(message({ text: 'it still fails', ts: '1700000009.000100', thread_ts: '1700000000.000001' })));
    const calls = await posted();
    expect(calls).toHaveLength(2);
    expect(calls[1]!.body).toMatchObject({ channel: 'C1', thread_ts: '1700000000.000001' });
  });

  it('answers an empty slash command with help, only to the user', async () => {
    const body = formBody({ command: '/backup-triage', text: '', team_id: 'T1', channel_id: 'C1', user_id: 'U1', trigger_id: 'tr2', response_url: 'https://hooks.slack.com/commands/x' });
    const res = await sendSigned(server.url, body, { contentType: 'application/x-www-form-urlencoded' });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ response_type: 'ephemeral', text: expect.stringContaining('I help with Azure Backup errors') });
    expect(await posted()).toEqual([]);
  });

  it('diagnoses a message from the shortcut, in that message\'s thread', async () => {
    const payload = {
      type: 'message_action',
      callback_id: 'diagnose_message',
      trigger_id: 'tr3',
      response_url: 'https://hooks.slack.com/app/x',
      team: { id: 'T1', domain: 't' },
      channel: { id: 'C1', name: 'ops' },
      user: { id: 'U1', name: 'admin' },
      message: { type: 'message', user: 'U2', text: PASTE, ts: '1700000010.000100', thread_ts: '1700000009.000100' },
    };
    const res = await sendSigned(server.url, formBody({ payload: JSON.stringify(payload) }), { contentType: 'application/x-www-form-urlencoded' });
    expect(res.status).toBe(200);
    const [post] = await posted();
    expect(post!.body).toMatchObject({ channel: 'C1', thread_ts: '1700000009.000100' });
  });

  /** Clicks a button of a posted answer, as Slack sends it: the message with its blocks, the button's ids. */
  async function click(post: Posted, label: string) {
    const button = buttonsOf(post).find((b) => b.text.text === label)!;
    const payload = {
      type: 'block_actions',
      team: { id: 'T1' },
      channel: { id: 'C1' },
      user: { id: 'U1' },
      trigger_id: 'tr4',
      container: { type: 'message', message_ts: '1700000000.000001', channel_id: 'C1' },
      message: { type: 'message', ts: '1700000000.000001', thread_ts: '1700000001.000100', text: 'answer', blocks: post.body.blocks },
      actions: [{ type: 'button', action_id: button.action_id, block_id: 'bt_answer', value: button.value, action_ts: '1' }],
    };
    return sendSigned(server.url, formBody({ payload: JSON.stringify(payload) }), { contentType: 'application/x-www-form-urlencoded' });
  }

  it('shows that answer again in Dutch when its Nederlands button is pressed, after a later answer in the thread', async () => {
    await sendSigned(server.url, eventBody(message()));
    const [first] = await posted();
    await sendSigned(server.url, eventBody(message({ text: 'UserErrorFsFreezeFailed', ts: '1700000001.000200', thread_ts: '1700000001.000100' })));
    expect(await posted()).toHaveLength(2);
    expect((await click(first!, 'Nederlands')).status).toBe(200);
    const calls = await posted();
    expect(calls).toHaveLength(3);
    expect(calls[2]!.body).toMatchObject({ thread_ts: '1700000001.000100' });
    expect(String(calls[2]!.body.text)).toContain('Versleutelingswachtwoordzin niet correct geconfigureerd');
    expect(String(calls[2]!.body.text)).not.toContain('UserErrorFsFreezeFailed');
  });

  it('takes 👍 once: the feedback is logged with the entry, and the buttons give way to a thanks line', async () => {
    await sendSigned(server.url, eventBody(message()));
    const [first] = await posted();
    expect((await click(first!, '👍 This helped')).status).toBe(200);
    const calls = await posted();
    expect(calls.map((c) => c.method)).toEqual(['chat.postMessage', 'chat.update']);
    const update = JSON.stringify(calls[1]!.body);
    expect(update).toContain('Thanks for the feedback.');
    expect(update).not.toContain('bt1|up|');
    expect(update).toContain('bt1|lang|');
    const feedback = logs.lines.map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l.msg === 'feedback');
    expect(feedback).toMatchObject({ feedback: 'up', entries: ['mars/encryption-passphrase-not-configured'], language: 'en', platform: 'slack' });
  });
});

describe('Slack when the engine fails', () => {
  it('answers the slash command and a mention with the localized error reply, and logs the failure', async () => {
    await server.stop();
    nock.cleanAll();
    api = fakeWebApi({ locale: 'nl-NL' });
    const broken = { handle: () => Promise.reject(new Error('index corrupt')), remember: () => Promise.resolve() };
    server = await startSlackServer(broken, {}, logs.logger);
    const body = formBody({ command: '/backup-triage', text: 'UserErrorFsFreezeFailed', team_id: 'T1', channel_id: 'C1', user_id: 'U1', trigger_id: 'tr9', response_url: 'https://hooks.slack.com/commands/x' });
    expect((await sendSigned(server.url, body, { contentType: 'application/x-www-form-urlencoded' })).status).toBe(200);
    await sendSigned(server.url, eventBody({ type: 'app_mention', channel: 'C1', user: 'U1', text: `<@UBOT> ${PASTE}`, ts: '1700000040.000100' }));
    const calls = await posted();
    expect(calls.map((c) => String(c.body.text))).toEqual([
      expect.stringContaining('Er ging bij mij iets mis tijdens het antwoorden.'),
      expect.stringContaining('Er ging bij mij iets mis tijdens het antwoorden.'),
    ]);
    expect(logs.lines.filter((l) => l.includes('the engine failed on a message'))).toHaveLength(2);
  });
});

describe('Slack settings', () => {
  it('calls the Web API at SLACK_API_URL when it is set', async () => {
    await server.stop();
    nock.cleanAll();
    api = fakeWebApi({ base: 'https://slack-gov.example', prefix: '/api' });
    server = await startSlackServer(sharedBot(), { apiUrl: 'https://slack-gov.example/api/' }, logs.logger);
    await sendSigned(server.url, eventBody(message({ ts: '1700000030.000100' })));
    const [post] = await posted();
    expect(post!.body).toMatchObject({ channel: 'C1', thread_ts: '1700000030.000100' });
  });

  it('leaves channel pastes alone with SLACK_PASSIVE=off, and still answers a mention', async () => {
    await server.stop();
    server = await startSlackServer(sharedBot(), { passive: false }, logs.logger);
    await sendSigned(server.url, eventBody(message({ ts: '1700000031.000100' })));
    expect(await posted()).toEqual([]);
    await sendSigned(server.url, eventBody({ type: 'app_mention', channel: 'C1', user: 'U1', text: `<@UBOT> ${PASTE}`, ts: '1700000032.000100' }));
    expect(await posted()).toHaveLength(1);
  });

  it('answers a bare code in the language of the user\'s Slack locale', async () => {
    nock.cleanAll();
    api = fakeWebApi({ locale: 'sv-SE' });
    await sendSigned(server.url, eventBody(message({ text: 'Error 34506', ts: '1700000033.000100' })));
    const [post] = await posted();
    expect(String(post!.body.text)).toContain('Krypteringslösenfrasen är inte korrekt konfigurerad');
  });
});
