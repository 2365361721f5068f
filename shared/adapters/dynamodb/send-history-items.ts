import * as z from 'zod/mini';
import { DELIVERY_STATUSES, type MessageRef, type SendRecord } from '../../domain/deliveries/send-record.ts';
import { parseItem } from './parse-item.ts';

/** A send beside its challenge, as `SendHistoryTable` writes it (key attributes dropped before parsing). */
const sendSchema: z.ZodMiniType<SendRecord> = z.looseObject({
  at: z.string(),
  attempt: z.number(),
  gatewayId: z.string(),
  gatewayType: z.string(),
  providerMessageId: z.nullable(z.string()),
  outcome: z.enum(['accepted', 'refused', 'unknown']),
  deliveryStatus: z.optional(z.enum(DELIVERY_STATUSES)),
  deliveredAt: z.optional(z.string()),
});

/** The receipt's way back to its send (the message item), as written beside the send. */
const messageRefSchema: z.ZodMiniType<MessageRef> = z.looseObject({
  storeId: z.string(),
  challengeId: z.string(),
  sentAt: z.string(),
  attempt: z.number(),
  gatewayId: z.string(),
  gatewayType: z.string(),
  providerMessageId: z.string(),
  userId: z.optional(z.string()),
  purpose: z.string(),
  maskedPhone: z.string(),
  country: z.optional(z.string()),
});

export const parseSend = (item: Record<string, unknown>, where: string) =>
  parseItem('send', sendSchema, item, where);
export const parseMessageRef = (item: Record<string, unknown>, where: string) =>
  parseItem('message', messageRefSchema, item, where);
