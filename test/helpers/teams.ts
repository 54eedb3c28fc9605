import nock from 'nock';

/** The Bot Connector of a local Teams client (the Agents Playground listens on localhost as well). */
export const SERVICE_URL = 'http://127.0.0.1:56150/amer/';
export const CONNECTOR = 'http://127.0.0.1:56150';

export interface Sent {
  /** POST for a reply, PUT for an update of an earlier one. */
  method: 'POST' | 'PUT';
  path: string;
  body: { type?: string; text?: string; summary?: string; replyToId?: string; attachments?: { contentType: string; content: Record<string, unknown> }[] };
}

/** The Bot Connector at the activity's serviceUrl: every reply is recorded. */
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

export async function post(url: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: typeof body === 'string' ? body : JSON.stringify(body) });
}
