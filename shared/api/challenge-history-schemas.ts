import * as z from 'zod';
import { DELIVERY_STATUSES } from '../domain/deliveries/send-record.ts';
import { MAX_SENDS_PER_CHALLENGE } from '../domain/challenges/challenge.ts';
import { idString, int, str, timestamp } from './bounds.ts';
import { resourceId } from './common.ts';

export const challengeHistoryParams = z.object({ storeId: resourceId, challengeId: resourceId });

const sendSchema = z
  .strictObject({
    at: timestamp.meta({ description: 'When the provider answered' }),
    gatewayId: idString,
    gatewayType: str(32),
    providerMessageId: str(256).nullable().meta({
      description: 'The provider’s id of the message; null when it named none (refused, timed out)',
    }),
    outcome: z.enum(['accepted', 'refused', 'unknown']),
    channel: z.enum(['sms', 'voice']).meta({ description: 'How the code went: a text message or a call' }),
    deliveryStatus: z
      .enum(DELIVERY_STATUSES)
      .optional()
      .meta({ description: 'From the provider’s delivery receipt; final once set' }),
    deliveredAt: timestamp.optional(),
    route: z
      .strictObject({
        mode: z.enum(['ordered', 'adaptive']),
        choice: z.enum(['country', 'best-rate', 'explore', 'head', 'failover', 'reroute']),
        rate: z.number().min(0).max(1).optional(),
      })
      .optional()
      .meta({ description: 'Why this gateway carried the message (api.md "Explained choices")' }),
  })
  .meta({ id: 'ChallengeSend' });

export const challengeHistorySchema = z
  .strictObject({
    id: idString,
    purpose: z.enum(['enroll', 'authenticate', 'verify-phone']),
    userId: str(256).optional(),
    maskedPhone: str(32),
    status: z.enum(['pending', 'approved', 'failed', 'expired', 'closed']),
    createdAt: timestamp,
    approvedAt: timestamp.optional(),
    attempts: int(0, 1000),
    test: z.boolean(),
    // Each send may try every linked gateway.
    sends: z.array(sendSchema).max(MAX_SENDS_PER_CHALLENGE * 32),
  })
  .meta({ id: 'ChallengeHistory' });
