import * as z from 'zod';
import { EVENT_TYPES } from '../domain/events/event-types.ts';
import { int, str, timestamp } from './bounds.ts';
import { resourceId } from './common.ts';

/** api.md "Support desk": one webhook's delivery of one event. */
export const deliveryParams = z.object({
  storeId: resourceId,
  webhookId: resourceId,
  deliveryId: resourceId.meta({ description: "The event's id: the `webhook-id` of every attempt" }),
});

export const webhookDeliverySchema = z
  .strictObject({
    id: str(64).meta({ description: "The event's id, the `webhook-id` header of every attempt" }),
    eventType: z.enum(EVENT_TYPES),
    status: z.enum(['pending', 'succeeded', 'failed', 'dead']).meta({
      description:
        'pending: no attempt has finished; failed: the last attempt failed and another is due at nextAttemptAt; ' +
        'succeeded: an attempt got a 2xx; dead: no further automatic attempt',
    }),
    attempts: int(0, 1000),
    lastAttemptAt: timestamp.optional(),
    lastStatusCode: int(100, 599)
      .optional()
      .meta({ description: 'Absent when the last attempt got no answer' }),
    nextAttemptAt: timestamp.optional(),
  })
  .meta({ id: 'WebhookDelivery' });

export const retryAcceptedSchema = z
  .strictObject({
    id: str(64).meta({
      description: "The delivery retried; the attempt's outcome shows in the deliveries list",
    }),
  })
  .meta({ id: 'WebhookDeliveryRetry' });
