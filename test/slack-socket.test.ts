import nock from 'nock';
import { describe, expect, it } from 'vitest';
import { WebSocketServer, type WebSocket } from 'ws';
import { sharedBot } from './helpers/bot.ts';
import { loopbackOnly } from './helpers/network.ts';
import { eventBody, fakeWebApi, startSlackServer } from './helpers/slack.ts';

loopbackOnly();

describe('Slack in Socket Mode', () => {
  it('connects with the app token, acknowledges an event envelope and answers in the thread', async () => {
    const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    await new Promise((resolve) => wss.once('listening', resolve));
    const { port } = wss.address() as { port: number };
    const api = fakeWebApi();
    const opened = nock('https://slack.com').post('/api/apps.connections.open').reply(200, { ok: true, url: `ws://127.0.0.1:${port}/link` });
    const acks: unknown[] = [];
    const connected = new Promise<WebSocket>((resolve) => {
      wss.on('connection', (socket) => {
        socket.on('message', (data) => acks.push(JSON.parse(String(data))));
        socket.send(JSON.stringify({ type: 'hello', num_connections: 1, connection_info: { app_id: 'A1' }, debug_info: { host: 'test' } }));
        resolve(socket);
      });
    });

    const server = await startSlackServer(sharedBot(), { appToken: 'xapp-1-test', signingSecret: undefined });
    try {
      const socket = await connected;
      expect(opened.isDone()).toBe(true);
      const event = { type: 'message', channel: 'C9', channel_type: 'channel', user: 'U1', text: 'Error 34506', ts: '1700000100.000100' };
      socket.send(JSON.stringify({ envelope_id: 'env-1', type: 'events_api', accepts_response_payload: false, retry_attempt: 0, retry_reason: '', payload: JSON.parse(eventBody(event)) }));
      await expect.poll(() => api.calls.length, { timeout: 5000 }).toBe(1);
      expect(acks).toContainEqual(expect.objectContaining({ envelope_id: 'env-1' }));
      expect(api.calls[0]!.body).toMatchObject({ channel: 'C9', thread_ts: '1700000100.000100' });
      // HTTP stays up for health checks, and there is no /slack/events in Socket Mode.
      expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
      expect((await fetch(`${server.url}/slack/events`, { method: 'POST', body: '{}' })).status).toBe(404);
    } finally {
      await server.stop();
      wss.close();
    }
  });
});
