import * as z from 'zod/mini';
import {
  DELIVERY_STATUSES,
  type ChallengeEnd,
  type ChallengeSummary,
  type MessageRef,
  type SendRecord,
} from '../../domain/deliveries/send-record.ts';
import { parseItem } from './parse-item.ts';

/** A send beside its challenge, as `SendHistoryTable` writes it (key attributes dropped before parsing). */
const sendSchema: z.ZodMiniType<SendRecord> = z.looseObject({
  at: z.string(),
  attempt: z.number(),
  gatewayId: z.string(),
  gatewayType: z.string(),
  providerMessageId: z.nullable(z.string()),
  outcome: z.enum(['accepted', 'refused', 'unknown']),
  channel: z.optional(z.enum(['sms', 'voice'])),
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

/** What each send keeps of its challenge (`summary`), for the history once the challenge item is gone. */
const summarySchema: z.ZodMiniType<ChallengeSummary> = z.looseObject({
  purpose: z.string(),
  userId: z.optional(z.string()),
  maskedPhone: z.string(),
  test: z.boolean(),
});

/** How the challenge ended, beside its sends. */
const endSchema: z.ZodMiniType<ChallengeEnd> = z.looseObject({
  status: z.enum(['approved', 'failed', 'closed']),
  at: z.string(),
  attempts: z.optional(z.number()),
});

export const parseSummary = (value: unknown, where: string) =>
  parseItem('send summary', summarySchema, value, where);
export const parseEnd = (item: Record<string, unknown>, where: string) =>
  parseItem('challenge end', endSchema, item, where);
export const parseSend = (item: Record<string, unknown>, where: string) =>
  parseItem('send', sendSchema, item, where);
export const parseMessageRef = (item: Record<string, unknown>, where: string) =>
  parseItem('message', messageRefSchema, item, where);
