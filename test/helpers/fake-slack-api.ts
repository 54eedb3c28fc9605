import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeSlackApi {
  /** The Web API base URL, for SLACK_API_URL. */
  url: string;
  /** The chat.postMessage bodies received, in order. */
  posts: Record<string, unknown>[];
  /** When each post was answered (Date.now()). */
  postedAt: number[];
  close(): Promise<void>;
}

async function bodyOf(req: IncomingMessage): Promise<Record<string, unknown>> {
  let raw = '';
  for await (const chunk of req) raw += String(chunk);
  try {
    return JSON.parse(raw) as Record<string, unknown>;
  } catch {
    return Object.fromEntries(new URLSearchParams(raw));
  }
}

/**
 * Slack's Web API as a real HTTP server on 127.0.0.1, for a bot running in another process:
 * auth.test answers `auth`, users.info a locale, chat.postMessage after `postDelayMs`.
 */
export async function startFakeSlackApi(options: { auth?: Record<string, unknown>; postDelayMs?: number } = {}): Promise<FakeSlackApi> {
  const posts: Record<string, unknown>[] = [];
  const postedAt: number[] = [];
  const server = createServer((req, res) => {
    void (async () => {
      const body = await bodyOf(req);
      const method = (req.url ?? '').replace(/^\/api\//u, '');
      const reply = (data: unknown) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify(data));
      };
      if (method === 'auth.test') reply(options.auth ?? { ok: true, user_id: 'UBOT', bot_id: 'BBOT', team_id: 'T1' });
      else if (method === 'users.info') reply({ ok: true, user: { id: body.user, locale: 'en-US' } });
      else if (method === 'chat.postMessage') {
        await new Promise((resolve) => setTimeout(resolve, options.postDelayMs ?? 0));
        posts.push(body);
        postedAt.push(Date.now());
        reply({ ok: true, channel: body.channel, ts: `1700000000.${String(posts.length).padStart(6, '0')}` });
      } else reply({ ok: false, error: 'unknown_method' });
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/api/`,
    posts,
    postedAt,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
