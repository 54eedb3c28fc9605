import type { Activity, ResourceResponse, TurnContext } from 'botbuilder';
import { send } from '../../server/http-client.ts';
import { CALL_TIMEOUT_MS } from '../../server/retry.ts';
import type { ButtonData } from './card.ts';

/*
 * Targeted messages: in a channel, a group chat or a meeting chat, a message that only its sender
 * and its one recipient see. Teams' `/` menu (the manifest's commands with the "slash" trigger, for
 * a bot with `supportsTargetedMessages`) sends the command to the bot as one, marked with
 * `recipient.isTargeted`. A targeted request gets a targeted answer: it is posted with
 * `?isTargetedActivity=true`, addressed to the user who asked (`recipient`, `isTargeted: true`), not
 * as a reply to their message, and with a `targetedMessageInfo` entity naming that message, which
 * Teams shows above the answer. A targeted message is updated with `?isTargetedActivity=true` too,
 * without a recipient. 1:1 chats are private already and have no targeted messages.
 */

/** The key in a card button's data that marks the card as sent privately. */
export const PRIVATE_DATA_KEY = 'private';

/** What the buttons of a privately sent card carry, so that a click on one is answered privately as well. */
export const PRIVATE_BUTTON_DATA: ButtonData = { [PRIVATE_DATA_KEY]: true };

type Incoming = Pick<Partial<Activity>, 'recipient' | 'conversation' | 'value'>;

function personal(activity: Incoming): boolean {
  return activity.conversation?.conversationType === 'personal';
}

/** True for a message a user sent to the bot as a targeted message (from the `/` menu). */
export function isTargetedMessage(activity: Incoming): boolean {
  return (activity.recipient as { isTargeted?: unknown } | undefined)?.isTargeted === true && !personal(activity);
}

/**
 * True for a turn that is answered privately, with targeted messages: a targeted message, or a
 * click on a button of a card the bot sent privately (Teams may deliver that click untargeted).
 */
export function isPrivateTurn(activity: Incoming): boolean {
  if (personal(activity)) return false;
  const value = activity.value as Record<string, unknown> | undefined;
  return isTargetedMessage(activity) || (typeof value === 'object' && value !== null && value[PRIVATE_DATA_KEY] === true);
}

/**
 * The conversation a targeted message goes to: in a channel thread, the channel (its id without the
 * `;messageid=` suffix), as the Teams SDK sends them; a targeted message is not a thread reply.
 */
function targetConversation(id: string): string {
  return /^([^;]+);messageid=\d+$/u.exec(id)?.[1] ?? id;
}

/** The Bot Connector URL of the conversation's activities (or of one of them), for a targeted message. */
function activitiesUrl(serviceUrl: string, conversation: string, activityId?: string): URL {
  const base = new URL(serviceUrl.endsWith('/') ? serviceUrl : `${serviceUrl}/`);
  const path = `v3/conversations/${encodeURIComponent(targetConversation(conversation))}/activities${activityId ? `/${encodeURIComponent(activityId)}` : ''}`;
  const url = new URL(path, base);
  url.searchParams.set('isTargetedActivity', 'true');
  return url;
}

interface Signer {
  credentials?: { signRequest(resource: unknown): Promise<unknown> };
}

/** The Authorization header the turn's Bot Connector client would send (none in local mode). */
async function authorization(connector: Signer | undefined): Promise<Record<string, string>> {
  if (!connector?.credentials) throw new Error('Unable to extract ConnectorClient from turn context.');
  const headers: Record<string, string> = {};
  // The credentials set their header on the request they are given: a stand-in keeps it.
  await connector.credentials.signRequest({
    headers: {
      set: (name: string, value: string) => {
        headers[name.toLowerCase()] = value;
      },
    },
  });
  return headers;
}

/** A refusal in the shape botbuilder's own calls throw, so that the sender retries it the same way. */
function refused(status: number, statusText: string, headers: Record<string, string>): Error {
  return Object.assign(new Error(`the Bot Connector refused the targeted message: ${status} ${statusText}`), {
    statusCode: status,
    response: { headers: { get: (name: string) => headers[name.toLowerCase()] } },
  });
}

/** A copy of the activity without the given fields. */
function without(activity: Partial<Activity>, fields: (keyof Activity)[]): Record<string, unknown> {
  const copy: Record<string, unknown> = { ...activity };
  for (const field of fields) delete copy[field];
  return copy;
}

export interface TargetedCall {
  context: TurnContext;
  /** The turn's Bot Connector client (its credentials sign the call). */
  connector: unknown;
  timeoutMs?: number;
}

async function call(method: 'POST' | 'PUT', url: URL, body: unknown, { connector, timeoutMs }: TargetedCall): Promise<ResourceResponse> {
  const headers = { ...(await authorization(connector as Signer | undefined)), 'content-type': 'application/json; charset=utf-8', accept: 'application/json' };
  const res = await send(url, { method, headers, body: JSON.stringify(body), timeoutMs: timeoutMs ?? CALL_TIMEOUT_MS });
  if (res.status < 200 || res.status >= 300) throw refused(res.status, res.statusText, res.headers);
  try {
    const parsed = JSON.parse(res.body.toString('utf8') || '{}') as { id?: unknown };
    return { id: typeof parsed.id === 'string' ? parsed.id : '' };
  } catch {
    return { id: '' };
  }
}

/**
 * Posts a message as a targeted message to the user of the turn. A turn that answers a targeted
 * message names it in a `targetedMessageInfo` entity; a click on a private card (not itself a
 * targeted message) does not, since Teams refuses one that names an untargeted message.
 */
export function sendTargeted(message: Partial<Activity>, request: TargetedCall): Promise<ResourceResponse> {
  const incoming = request.context.activity;
  const conversation = message.conversation ?? incoming.conversation;
  const answering = isTargetedMessage(incoming) && incoming.id ? incoming.id : undefined;
  const entities = (message.entities ?? []).filter((e) => e.type !== 'targetedMessageInfo');
  // A new message, not a reply: a targeted message can't be one.
  const body = without(message, ['id', 'replyToId']);
  Object.assign(body, {
    conversation: { ...conversation, id: targetConversation(conversation.id) },
    // The bot's account comes from the incoming recipient: its own isTargeted mark is not the reply's.
    ...(message.from ? { from: { ...message.from, isTargeted: undefined } } : {}),
    recipient: { ...(message.recipient ?? incoming.from), isTargeted: true },
    ...(answering ? { entities: [...entities, { type: 'targetedMessageInfo', messageId: answering }] } : {}),
  });
  return call('POST', activitiesUrl(message.serviceUrl ?? incoming.serviceUrl, conversation.id), body, request);
}

/** Updates a targeted message the bot sent (its visibility stays; an update names no recipient). */
export function updateTargeted(message: Partial<Activity>, request: TargetedCall): Promise<ResourceResponse> {
  if (!message.id) throw new TypeError('an update needs the id of the message it updates');
  const incoming = request.context.activity;
  const conversation = message.conversation ?? incoming.conversation;
  const body = without(message, ['recipient', 'replyToId']);
  body.conversation = { ...conversation, id: targetConversation(conversation.id) };
  return call('PUT', activitiesUrl(message.serviceUrl ?? incoming.serviceUrl, conversation.id, message.id), body, request);
}
