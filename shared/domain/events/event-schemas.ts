import * as z from 'zod';
import type {
  CHALLENGE_EVENT_TYPES,
  DELIVERY_EVENT_TYPES,
  FACTOR_EVENT_TYPES,
  SEND_GUARD_EVENT_TYPES,
} from './event-types.ts';
import { AUDIT_EVENT_TYPES, EVENT_TYPES, type AuditEventType, type EventType } from './event-types.ts';

/**
 * The `data` of each event type, as the emitters build it (challenge-events.ts, failure-streak.ts,
 * fraud-guard.ts, the HTTP pipeline's audit). Strict: a field added to an event without its schema is
 * caught by the tests that check a full run's events and the README's catalogue against these.
 */
const id = z.string().min(1);
const timestamp = z.iso.datetime();

const challenge = z.strictObject({
  storeId: id,
  challengeId: id,
  userId: id.optional(),
  purpose: z.enum(['enroll', 'authenticate', 'verify-phone']),
  maskedPhone: z.string().regex(/^\+\d{1,4}\*+\d{3}$/),
  country: z.string().length(2).optional(),
});

const factor = z.strictObject({
  storeId: id,
  userId: id,
  maskedPhone: challenge.shape.maskedPhone.optional(),
  country: challenge.shape.country,
});

const guard = z.strictObject({
  storeId: id,
  reason: z.string().min(1),
  country: challenge.shape.country,
  maskedPhone: challenge.shape.maskedPhone.optional(),
});

/** One provider request of a send: a challenge's, or a relayed code's (no challenge, its integration instead). */
const attempt = {
  gatewayId: id,
  gatewayType: id,
  attempt: z.int().positive(),
  outcome: z.enum(['accepted', 'refused', 'unknown']),
  providerMessageId: id.optional(),
  segments: z.int().nonnegative(),
  estimatedCost: z.strictObject({ amount: z.number().nonnegative(), currency: z.string().length(3) }),
  test: z.boolean(),
  route: z
    .strictObject({
      mode: z.enum(['ordered', 'adaptive']),
      choice: z.enum(['country', 'best-rate', 'explore', 'head', 'failover', 'reroute']),
      rate: z.number().min(0).max(1).optional(),
    })
    .optional(),
  /** Missing (events written before calls existed) reads as `sms`. */
  channel: z.enum(['sms', 'voice']).optional(),
};

const relayed = z.strictObject({
  storeId: id,
  integrationId: id,
  maskedPhone: challenge.shape.maskedPhone,
  country: challenge.shape.country,
  ...attempt,
  source: z.enum(['supabase', 'okta', 'kratos', 'auth0', 'cognito']),
});

const CHALLENGE_SCHEMAS = {
  'challenge.created': challenge.extend({ expiresAt: timestamp }),
  'code.sent': z.union([
    challenge.extend({ ...attempt, source: id.optional(), codeExpiresAt: timestamp.optional() }),
    relayed,
  ]),
  // Delivery receipts define the rest of its fields.
  'code.delivery': z.looseObject({
    storeId: id,
    status: z.enum(['delivered', 'failed', 'undelivered']),
  }),
  'challenge.approved': challenge.extend({
    attempts: z.int().positive(),
    codeExpiresAt: timestamp.optional(),
  }),
  'challenge.failed': challenge.extend({
    reason: z.enum(['invalid-code', 'expired', 'too-many-attempts', 'gateway-error', 'closed', 'canceled']),
  }),
} satisfies Record<(typeof CHALLENGE_EVENT_TYPES)[number], z.ZodType>;

const FACTOR_SCHEMAS = {
  'factor.activated': factor.extend({ challengeId: id }),
  'factor.replaced': factor.extend({ challengeId: id }),
  // `by: "admin"`: a support desk reset (a client's own removal says nothing of who).
  'factor.removed': factor.extend({ by: z.literal('admin').optional() }),
  'factor.locked': z.strictObject({
    storeId: id,
    userId: id,
    lockedUntil: timestamp,
    failures: z.int().positive(),
  }),
} satisfies Record<(typeof FACTOR_EVENT_TYPES)[number], z.ZodType>;

const GUARD_SCHEMAS = {
  'send.blocked': guard,
  'send.flagged': guard,
} satisfies Record<(typeof SEND_GUARD_EVENT_TYPES)[number], z.ZodType>;

/** A gateway's breaker (no store: a gateway may serve many); counts over the last 60 seconds. */
const breaker = z.strictObject({
  gatewayId: id,
  failures: z.int().nonnegative(),
  attempts: z.int().nonnegative(),
  openedAt: timestamp.optional(),
});

const DELIVERY_SCHEMAS = {
  'code.rerouted': z.strictObject({
    storeId: id,
    challengeId: id,
    userId: id.optional(),
    fromGatewayId: id,
    toGatewayId: id,
    reason: z.enum(['deadline', 'failed-receipt']),
  }),
  'gateway.opened': breaker,
  'gateway.closed': breaker,
} satisfies Record<(typeof DELIVERY_EVENT_TYPES)[number], z.ZodType>;

/** An audit event: who, and the ids of the route and of the item it wrote (`storeId`, `gatewayId`, ...). */
const audit = z.object({ actor: z.string().min(1) }).catchall(id);
/** The support desk's user audits: exactly who, which user, and (a reset) why. */
const userAudit = z.strictObject({ actor: id, storeId: id, userId: id });

const SCHEMAS: Record<Exclude<EventType, AuditEventType>, z.ZodType> = {
  ...CHALLENGE_SCHEMAS,
  ...FACTOR_SCHEMAS,
  ...GUARD_SCHEMAS,
  ...DELIVERY_SCHEMAS,
};

const USER_AUDIT_SCHEMAS: Partial<Record<AuditEventType, z.ZodType>> = {
  'admin.factor.reset': userAudit.extend({ reason: z.string().min(1).max(500) }),
  'admin.factor.unlocked': userAudit,
};

export const eventDataSchema = (type: EventType): z.ZodType =>
  (AUDIT_EVENT_TYPES as readonly string[]).includes(type)
    ? (USER_AUDIT_SCHEMAS[type as AuditEventType] ?? audit)
    : SCHEMAS[type as Exclude<EventType, AuditEventType>];

/** An event as `events.jsonl`, webhooks and the README show it: `{ id, type, timestamp, data }`. */
export const eventLineSchema = z
  .strictObject({
    id: z.string().regex(/^evt_/),
    type: z.enum(EVENT_TYPES),
    timestamp,
    data: z.record(z.string(), z.unknown()),
  })
  .superRefine((line, context) => {
    const parsed = eventDataSchema(line.type).safeParse(line.data);
    for (const issue of parsed.error?.issues ?? []) {
      context.addIssue({ code: 'custom', path: ['data', ...issue.path], message: issue.message });
    }
  });
