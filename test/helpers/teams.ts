import nock from 'nock';

/** The Bot Connector of a local Teams client (the Agents Playground listens on localhost as well). */
export const SERVICE_URL = 'http://127.0.0.1:56150/amer/';
export const CONNECTOR = 'http://127.0.0.1:56150';

export interface Sent {
  /** POST for a reply, PUT for an update of an earlier one. */
  method: 'POST' | 'PUT';
  /** The path, decoded, with its query (`?isTargetedActivity=true` for a targeted message). */
  path: string;
  body: {
    type?: string;
    text?: string;
    summary?: string;
    replyToId?: string;
    recipient?: Record<string, unknown>;
    conversation?: Record<string, unknown>;
    entities?: Record<string, unknown>[];
    attachments?: { contentType: string; content: Record<string, unknown> }[];
  };
}

/** The Bot Connector at the activity's serviceUrl: every reply (or targeted message) is recorded. */
export function fakeConnector() {
  const sent: Sent[] = [];
  const scope = nock(CONNECTOR)
    .persist()
    .post(/\/amer\/v3\/conversations\/.+\/activities/u)
    .reply(200, (path, body) => {
      sent.push({ method: 'POST', path: decodeURIComponent(path), body: body as Sent['body'] });
      return { id: `reply-${sent.length}` };
    })
    .put(/\/amer\/v3\/conversations\/.+\/activities\/.+/u)
    .reply(200, (path, body) => {
      sent.push({ method: 'PUT', path: decodeURIComponent(path), body: body as Sent['body'] });
      return { id: decodeURIComponent(path).split('/').at(-1) };
    });
  return { sent, scope };
}

let counter = 0;

/** A Teams message activity as the channel sends it. */
export function activity(text: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  counter += 1;
  return {
    type: 'message',
    id: `act-${counter}`,
    timestamp: new Date().toISOString(),
    channelId: 'msteams',
    serviceUrl: SERVICE_URL,
    from: { id: '29:user-1', name: 'Admin', aadObjectId: '00000000-0000-0000-0000-00000000aaaa' },
    conversation: { id: 'a:personal-1', conversationType: 'personal', tenantId: 'tenant-1' },
    recipient: { id: '28:bot-1', name: 'backup-triage' },
    text,
    locale: 'en-US',
    channelData: { tenant: { id: 'tenant-1' } },
    ...extra,
  };
}

/** A group chat the bot is in: where Teams' `/` menu sends targeted messages. */
export const GROUP_CHAT = { id: '19:group-1@thread.v2', conversationType: 'groupChat', tenantId: 'tenant-1' };

/**
 * A message sent from Teams' `/` menu: a targeted message, which only the bot and its sender see.
 * Teams puts the command's name in front of what the user typed after it.
 */
export function targeted(text: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return activity(text, { conversation: GROUP_CHAT, recipient: { id: '28:bot-1', name: 'backup-triage', isTargeted: true }, ...extra });
}

/** A Teams invoke of the message extension (its dialog's opening, or a submit from it). */
export function invoke(name: 'composeExtension/fetchTask' | 'composeExtension/submitAction', value: Record<string, unknown>, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return activity('', { type: 'invoke', name, value: { commandId: 'diagnoseMessage', commandContext: 'message', ...value }, ...extra });
}

export async function post(url: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: typeof body === 'string' ? body : JSON.stringify(body) });
}
