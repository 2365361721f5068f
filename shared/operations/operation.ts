import type { z } from 'zod';
import type { AuditEventType } from '../domain/events/event-types.ts';
import type { ProblemSlug } from '../domain/problems.ts';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/**
 * `admin`: IAM (SigV4) when deployed, the admin bearer token locally. `api-key`: the Lambda authorizer.
 * `hook-secret`: no authorizer; the handler checks an integration's secret (identity providers can
 * neither sign with IAM nor hold an API key), so the route is public to API Gateway and throttled.
 */
export type RouteAuth = 'none' | 'admin' | 'api-key' | 'hook-secret';

/**
 * What a route's function may touch; CDK turns each into the narrowest IAM grant (explicit actions,
 * and for the table a `dynamodb:LeadingKeys` condition on the partitions of
 * `shared/adapters/dynamodb/key-prefixes.ts`).
 */
export type Access =
  /** Gateways and identity stores: read. */
  | 'config:read'
  /** Gateways and identity stores: create, update, delete (admin routes only). */
  | 'config:write'
  /** Read one API key by id and refresh its `lastUsedAt`: the authorizer. */
  | 'api-keys:authenticate'
  /** List a store's API keys (the `gsi1` index). */
  | 'api-keys:read'
  /** Create and delete API keys, also every key of a deleted store. */
  | 'api-keys:write'
  /** Identity-provider integrations: read one by id, list a store's (the `gsi1` index). */
  | 'integrations:read'
  /** Identity-provider integrations: create, update, delete. */
  | 'integrations:write'
  /** Integration hook secrets (Secrets Manager, `integrations/*`). */
  | 'integration-secrets:read'
  | 'integration-secrets:write'
  /** Delete integration hook secrets only: the sweep of a deleted store. */
  | 'integration-secrets:delete'
  /** Factors (and the other challenge partitions): read. */
  | 'challenges:read'
  /** Challenges, factors, pointers, send counters, idempotency records: read and write. */
  | 'challenges:write'
  /** One challenge with its sends (a Query of the challenge's partition): the challenge history. */
  | 'challenges:history'
  /** A user's factor and their challenges through `gsi1` (the support desk's lookup). */
  | 'support:read'
  /**
   * The support desk's writes: a user's factor (reset, unlock), closing the user's challenges, and the
   * audit record (`AUDIT#`) in the same transaction.
   */
  | 'support:write'
  /**
   * Put an admin write's audit record (`AUDIT#`), in the write's own transaction: every route with an
   * `audit` (accessOf adds it). Put only: no function reads, changes or deletes a record.
   */
  | 'audit:write'
  /** Delivery statistics of a store (its `ROUTESTATS#` counters): the routing snapshot. */
  | 'routing:read'
  /** Add to a store's delivery-statistics counters (the table stream's aggregates only). */
  | 'routing:write'
  /** Gateways' shared health (`GWHEALTH#`): read it (the gateway routes, the routing snapshot). */
  | 'gateway-health:read'
  /** Read it, count a send's transport outcomes and change the breaker state (conditional writes). */
  | 'gateway-health:write'
  /** A delivery receipt: find its send by provider message id and record the status on it. */
  | 'deliveries:write'
  /** The fraud guard's counters of a store: find them through the `byStore` index and read them. */
  | 'blocks:read'
  /** The same, and mark a counter lifted (the blocks route's DELETE). */
  | 'blocks:write'
  /** A challenge item only: read it and set its expiry-reported mark (the deployed expiry check). */
  | 'challenges:report-expiry'
  /** Find a deleted store's items through the `byStore` index and delete them. */
  | 'store-items:sweep'
  /** The usage ledger's counters of a store (Query of its `USAGE#` shards): the usage route. */
  | 'usage:read'
  /** The usage ledger's counters and challenge claims: the stream projection's increments. */
  | 'usage:write'
  /** Whether an identity store exists (its item only): key creation's condition, the authorizer's check. */
  | 'stores:check'
  | 'gateway-secrets:read'
  | 'gateway-secrets:write'
  /** The code pepper secret only. */
  | 'pepper:read'
  /** The receipt key secret only (per-message receipt addresses). */
  | 'receipt-key:read'
  /** The pepper's rotation steps (Secrets Manager's rotation protocol) on that one secret. */
  | 'pepper:rotate'
  /** The origin-verify secret only (behind CloudFront: the API key authorizer compares its header to it). */
  | 'origin-verify:read'
  /** Asynchronous invoke of the number-replacement notifier. */
  | 'notifier:invoke'
  /** Put events on the service's EventBridge bus (deployed): every route that emits events. */
  | 'events:publish'
  /** Create one-time schedules in the expiry schedule group, passing the scheduler's invoke role only. */
  | 'expiry:schedule'
  /** A store's webhooks (with their signing secrets): read. */
  | 'webhooks:read'
  /** A store's webhooks: create, rotate, delete, disable. */
  | 'webhooks:write'
  /** A webhook's recorded deliveries (`WHDELIVERY#`): read one, list them. */
  | 'webhook-deliveries:read'
  /** Record deliveries and their attempts, claim one for a retry. */
  | 'webhook-deliveries:write'
  /** Put one delivery back on the webhook queue (an admin's retry, deployed). */
  | 'webhook-queue:send'
  /** Arm a delivery-failover job on the reroute delay queue (deployed): what sends or takes receipts. */
  | 'reroutes:enqueue'
  | 'sms:send';

/**
 * An admin write's audit event (api.md): emitted after a successful answer with the caller as `actor`,
 * the route's path parameters, and `subject` (a path parameter, else the created item's `id`).
 */
export interface AuditSpec {
  readonly type: AuditEventType;
  readonly subject: string;
  /**
   * A path parameter that may hold a number range (a block's prefix digits): the event writes digits as
   * `<digits>*`, a range and never a number (events carry no full phone number).
   */
  readonly rangeParam?: string;
}

/**
 * Everything about one route, in one object: the route table, the handler factory, the OpenAPI
 * document and CDK all read it. Plain data and zod schemas only, so that a Lambda bundle that imports
 * its operation pulls in nothing OpenAPI-specific.
 */
export interface Operation {
  /** Stable, unique; names the function, its log group and the OpenAPI operationId. */
  readonly id: string;
  readonly method: HttpMethod;
  /** API Gateway path syntax: `{param}`. */
  readonly path: string;
  readonly auth: RouteAuth;
  /** Grants besides `sms:send`, which `sends` implies. */
  readonly access: readonly Access[];
  readonly summary: string;
  readonly params?: z.ZodType;
  readonly query?: z.ZodType;
  readonly body?: z.ZodType;
  readonly status: 200 | 201 | 202 | 204;
  /** What a success answer parses with; absent for 204 (and the OpenAPI document, which is free JSON). */
  readonly response?: z.ZodType;
  /** The problems the route's own logic can answer; the ones every route of its kind can answer are added by `problemsOf`. */
  readonly problems: readonly ProblemSlug[];
  /** Honours `If-Match: <version>`. */
  readonly ifMatch?: boolean;
  /** Honours `Idempotency-Key` (api.md "Idempotent replays"); only on operations that send. */
  readonly idempotent?: boolean;
  /** Sends SMS: the function gets the provider adapters and `sms:send`. */
  readonly sends?: boolean;
  /** Admin writes: the audit event a success emits. */
  readonly audit?: AuditSpec;
  /**
   * A caller that retries 429 and 503 (Supabase's hooks) would have a code sent twice: some of this
   * route's refusals answer 500, with their problem slug unchanged.
   */
  readonly problemsAs500?: boolean;
  /** A larger body limit than the default (an Infobip batch of 100 delivery reports). */
  readonly bodyLimitBytes?: number;
}

/** Keeps the literal types of the schemas, so handlers get typed input. */
export const defineOperation = <const O extends Operation>(operation: O): O => operation;

/** The grants a route's function gets. */
/**
 * What every function that sends needs besides its own access (the routes with `sends`, and the Cognito
 * triggers that send): a send names per-message receipt addresses, whose tokens are keyed with the
 * receipt key; it is routed on the store's delivery statistics (a snapshot read beside it, never
 * awaited) and on its gateways' shared health, whose outcomes it records.
 */
export const SENDING_ACCESS = [
  'sms:send',
  'receipt-key:read',
  'routing:read',
  'gateway-health:write',
] as const satisfies readonly Access[];

export const accessOf = (operation: Operation): readonly Access[] => {
  const access: Access[] = [...operation.access];
  if (operation.sends) access.push(...SENDING_ACCESS);
  // A challenge's accepted message, in a store with a delivery deadline, arms its reroute job (a
  // gateway's test message belongs to no challenge).
  if (operation.sends && operation.access.includes('challenges:write')) access.push('reroutes:enqueue');
  // Admin writes record their audit in the write's transaction, then emit its event; the challenge
  // routes emit the challenge lifecycle.
  if (operation.audit) access.push('audit:write');
  if (operation.audit || operation.access.includes('challenges:write')) access.push('events:publish');
  return access;
};

/** Whether the route touches a dependency (DynamoDB, Secrets Manager) that can be throttled or unreachable. */
const usesDependencies = (operation: Operation) => accessOf(operation).length > 0;

/** Every problem slug the route can answer: its own, plus those the shared pipeline adds. */
/**
 * api.md "Media types": a body on `/admin` and `/v1` is JSON; `/hooks` and `/callbacks` take what each
 * provider sends.
 */
export const takesJsonOnly = (operation: Operation): boolean =>
  operation.path.startsWith('/admin/') || operation.path.startsWith('/v1/');

export function problemsOf(operation: Operation): ProblemSlug[] {
  const slugs = new Set<ProblemSlug>(operation.problems);
  slugs.add('internal');
  if (usesDependencies(operation)) slugs.add('unavailable');
  if (operation.auth !== 'none') slugs.add('unauthorized');
  const validates =
    operation.params || operation.query || operation.body || operation.ifMatch || operation.idempotent;
  if (validates) slugs.add('validation-failed');
  // The body limit holds on every route, whether it reads a body or not.
  slugs.add('payload-too-large');
  if (takesJsonOnly(operation)) slugs.add('unsupported-media-type');
  if (operation.ifMatch || operation.idempotent) slugs.add('conflict');
  return [...slugs];
}
