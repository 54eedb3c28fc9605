import { send } from '../../server/http-client.ts';
import { CALL_TIMEOUT_MS } from '../../server/retry.ts';

/** The parts of a Bot Framework web resource (botbuilder's HTTP request) that a reply uses. */
interface WebResource {
  url: string;
  method: string;
  headers: { rawHeaders(): Record<string, string> };
  body?: unknown;
  abortSignal?: AbortSignal;
}

/** Response headers in the shape botbuilder reads them. */
function headersLike(source: Record<string, string>) {
  const raw = { ...source };
  return {
    get: (name: string) => raw[name.toLowerCase()],
    contains: (name: string) => name.toLowerCase() in raw,
    rawHeaders: () => ({ ...raw }),
    headerNames: () => Object.keys(raw),
    headerValues: () => Object.values(raw),
    headersArray: () => Object.entries(raw).map(([name, value]) => ({ name, value })),
    toJson: () => ({ ...raw }),
    set: (name: string, value: string) => {
      raw[name.toLowerCase()] = value;
    },
    remove: (name: string) => delete raw[name.toLowerCase()],
    clone() {
      return headersLike(raw);
    },
  };
}

/**
 * The HTTP client of the Bot Connector calls (replies to Teams), with a timeout on every call, so
 * that a hung connection can neither hold a turn nor keep the process from exiting.
 */
export function connectorHttpClient(timeoutMs = CALL_TIMEOUT_MS) {
  return {
    async sendRequest(request: WebResource) {
      const body = request.body === undefined || request.body === null ? undefined : typeof request.body === 'string' ? request.body : JSON.stringify(request.body);
      const sent = await send(request.url, {
        method: request.method,
        headers: request.headers.rawHeaders(),
        ...(body !== undefined ? { body } : {}),
        ...(request.abortSignal ? { signal: request.abortSignal } : {}),
        timeoutMs,
      });
      return { request, status: sent.status, headers: headersLike(sent.headers), bodyAsText: sent.body.toString('utf8') };
    },
  };
}
