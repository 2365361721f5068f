import * as z from 'zod/mini';
import type { ChallengeRecord } from '../../domain/challenges/challenge.ts';
import type { CounterWindow } from '../../domain/sending/send-windows.ts';
import { numberMap, parseItem } from './parse-item.ts';

const epochMs = z.number();
const byHash = numberMap();

/**
 * A window as the counting write stores it on the challenge; `limit` is checked against the names the
 * counter keys use (challenge-items.ts), passed in so that they are listed once.
 */
const counterWindowSchema = (limits: readonly [CounterWindow['limit'], ...CounterWindow['limit'][]]) =>
  z.looseObject({
    limit: z.enum(limits),
    subject: z.optional(z.string()),
    amount: z.optional(z.number()),
    bucket: z.number(),
    max: z.number(),
    endsAt: epochMs,
    shard: z.optional(z.number()),
  });

/** A challenge as the stores write it (the key and bookkeeping attributes are dropped before parsing). */
export function challengeSchema(
  limits: readonly [CounterWindow['limit'], ...CounterWindow['limit'][]],
): z.ZodMiniType<ChallengeRecord> {
  return z.looseObject({
    id: z.string(),
    unverified: z.optional(z.array(counterWindowSchema(limits))),
    storeId: z.string(),
    userId: z.nullable(z.string()),
    purpose: z.enum(['enroll', 'authenticate', 'verify-phone']),
    phone: z.string(),
    country: z.optional(z.string()),
    codes: byHash,
    tried: byHash,
    triedAt: byHash,
    attempts: z.number(),
    maxAttempts: z.number(),
    sends: z.number(),
    lastSentAt: epochMs,
    expiresAt: epochMs,
    createdAt: z.string(),
    lockedUntil: z.optional(epochMs),
    closedAt: z.optional(epochMs),
    pepperVersion: z.optional(z.string()),
    uncountedAt: z.optional(epochMs),
    consumedAt: z.optional(epochMs),
    expiryReportedAt: z.optional(epochMs),
    test: z.optional(z.boolean()),
    canceledAt: z.optional(epochMs),
    applicationId: z.optional(z.string()),
    factorFailuresAtIssue: z.number(),
    factorLastUsedAt: z.nullable(z.string()),
  });
}

export const parseChallenge = (
  schema: z.ZodMiniType<ChallengeRecord>,
  item: Record<string, unknown>,
  where: string,
) => parseItem('challenge', schema, item, where);
