import type { Logger } from '../../server/logger.ts';

/** The activity fields the bot reads, and the type each must have. */
const FIELDS: Record<string, 'string' | 'object' | 'array'> = {
  id: 'string',
  text: 'string',
  textFormat: 'string',
  locale: 'string',
  name: 'string',
  replyToId: 'string',
  timestamp: 'string',
  channelId: 'string',
  from: 'object',
  recipient: 'object',
  channelData: 'object',
  entities: 'array',
  attachments: 'array',
};
const IDENTITIES = ['from', 'recipient', 'conversation'] as const;

function kindOf(value: unknown): string {
  return Array.isArray(value) ? 'array' : value === null ? 'null' : typeof value;
}

/**
 * An activity as botbuilder may safely handle it: a field of the wrong type is dropped with a debug
 * line; without a type, a serviceUrl or a conversation id there is nothing to answer (`problem`).
 */
export function normaliseActivity(body: unknown, logger: Logger): { activity?: Record<string, unknown>; problem?: string } {
  if (kindOf(body) !== 'object') return { problem: 'not an object' };
  const activity: Record<string, unknown> = { ...(body as Record<string, unknown>) };
  if (typeof activity.type !== 'string' || activity.type === '') return { problem: 'type is missing or not a string' };
  if (typeof activity.serviceUrl !== 'string') return { problem: 'serviceUrl is missing or not a string' };
  const conversation = activity.conversation as { id?: unknown } | undefined;
  if (kindOf(conversation) !== 'object' || typeof conversation?.id !== 'string') return { problem: 'conversation.id is missing or not a string' };
  for (const [field, kind] of Object.entries(FIELDS)) {
    if (activity[field] === undefined || kindOf(activity[field]) === kind) continue;
    logger.debug({ field, found: kindOf(activity[field]) }, 'Teams activity field of the wrong type ignored');
    delete activity[field];
  }
  for (const field of IDENTITIES) {
    if (!activity[field]) continue;
    const who = { ...(activity[field] as Record<string, unknown>) };
    for (const key of ['id', 'name', 'aadObjectId', 'conversationType', 'tenantId']) {
      if (who[key] === undefined || typeof who[key] === 'string') continue;
      logger.debug({ field: `${field}.${key}`, found: kindOf(who[key]) }, 'Teams activity field of the wrong type ignored');
      delete who[key];
    }
    activity[field] = who;
  }
  if (Array.isArray(activity.entities)) activity.entities = activity.entities.filter((e) => kindOf(e) === 'object');
  return { activity };
}
