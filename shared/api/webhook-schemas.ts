import * as z from 'zod';
import { EVENT_TYPES } from '../domain/events/event-types.ts';
import { idString, str, timestamp } from './bounds.ts';
import { resourceId } from './common.ts';

const eventType = z.enum(EVENT_TYPES);
const eventTypes = z.array(eventType).max(EVENT_TYPES.length);

export const webhookParams = z.object({ storeId: resourceId, webhookId: resourceId });

export const createWebhookBody = z.strictObject({
  url: str(2048).meta({ description: 'https; follows the outbound address rules' }),
  eventTypes: eventTypes.optional().meta({ description: 'Omitted or empty: every type' }),
});

export const createdWebhookSchema = z
  .strictObject({
    id: idString,
    url: str(2048),
    eventTypes,
    secret: str(128).meta({ description: 'whsec_ + base64 of 32 random bytes; shown only here' }),
    createdAt: timestamp,
  })
  .meta({ id: 'CreatedWebhook' });

export const webhookSchema = z
  .strictObject({
    id: idString,
    url: str(2048),
    eventTypes,
    createdAt: timestamp,
    disabled: z.boolean().meta({ description: 'The receiver answered 410: nothing is sent any more' }),
  })
  .meta({ id: 'Webhook' });

export const webhooksSchema = z.strictObject({ items: z.array(webhookSchema).max(10_000) });

export const rotatedSecretSchema = z
  .strictObject({
    secret: str(128).meta({ description: 'The new secret; the previous one signs for 24 hours' }),
  })
  .meta({ id: 'RotatedWebhookSecret' });
