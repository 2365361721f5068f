/**
 * The table's partition keys, grouped by what may touch them. The adapters build their keys from these
 * values and the CDK stack turns each group into a `dynamodb:LeadingKeys` condition, so that an IAM grant
 * and the items it covers cannot drift apart. Runtime-free: constants only, no imports.
 *
 * A value ending in `#` is a prefix (the rest of the key follows it); any other value is a whole
 * partition key. IAM receives prefixes as `PREFIX#*` and whole keys as they are.
 */

/** Gateways and their name index and default pointer (gateway-table.ts). */
export const GATEWAY_PARTITION = 'GATEWAY';
export const GATEWAY_NAME_PARTITION = 'GATEWAY_NAME';
export const GATEWAY_DEFAULT_PARTITION = 'GATEWAY_DEFAULT';
/** Identity stores (identity-store-table.ts). */
export const STORE_PARTITION = 'STORE';

/** A store's client applications, `APP#<store>` (application-table.ts): configuration the store owns. */
export const APPLICATION_PREFIX = 'APP#';
/** One item per identity-provider integration, looked up by id (integration-table.ts). */
export const INTEGRATION_PREFIX = 'INTEGRATION#';

/** One item per API key, looked up by key id (api-key-table.ts). */
export const API_KEY_PREFIX = 'APIKEY#';

/** The send and verify state of the client API (challenge-table.ts). */
export const CHALLENGE_PREFIX = 'CHALLENGE#';
/** `FACTOR#<store>#<user>`. */
export const FACTOR_PREFIX = 'FACTOR#';
export const PHONE_POINTER_PREFIX = 'PHONEPTR#';
export const COUNTER_PREFIX = 'COUNT#';
export const IDEMPOTENCY_PREFIX = 'IDEMPOTENCY#';
/**
 * `SMSMSG#<gateway>#<provider message id>`: a delivery receipt's way to its send (send-history-table.ts).
 * The sends themselves are items of the challenge's own `CHALLENGE#` partition.
 */
export const MESSAGE_PREFIX = 'SMSMSG#';

/**
 * `ROUTESTATS#<store>`: delivery statistics, sharded hourly counters written by the table stream's
 * consumer and summed on read (the routing snapshot); never written on the send path.
 */
export const ROUTING_STATS_PREFIX = 'ROUTESTATS#';
export const ROUTING_STATS_PARTITIONS = [ROUTING_STATS_PREFIX] as const;

/**
 * `GWHEALTH#<gateway>`: a gateway's shared health (gateway-health-table.ts), its outcome counters per
 * 10-second bucket and its breaker state. A gateway serves many stores, so no store owns them: they
 * expire by their TTL (buckets within minutes, the state a day after its last change), also after the
 * gateway is deleted.
 */
export const GATEWAY_HEALTH_PREFIX = 'GWHEALTH#';
export const GATEWAY_HEALTH_PARTITIONS = [GATEWAY_HEALTH_PREFIX] as const;

/** `WEBHOOK#<store>`, one item per webhook of the store (webhook-table.ts); holds the signing secrets. */
export const WEBHOOK_PREFIX = 'WEBHOOK#';

/**
 * `AUDIT#<store>` (`AUDIT#account` for gateways): every admin write's audit record, written in the same
 * transaction as the change (audit-items.ts, transactions.ts). Not store-owned: a deleted store's sweep leaves them (api.md "Deleted store": audit records excepted).
 */
export const AUDIT_PREFIX = 'AUDIT#';
/** The `gsi1` partition of a user's challenges, `USERCH#<store>#<user>` (the support desk's lookup). */
export const USER_CHALLENGES_PREFIX = 'USERCH#';

/**
 * The usage ledger (usage-counter-table.ts): `USAGE#<store>#<shard>` counters and
 * `USAGE#<store>#CH#<challenge>` claims of each challenge's first accepted message.
 */
export const USAGE_PREFIX = 'USAGE#';
export const USAGE_PARTITIONS = [USAGE_PREFIX] as const;

/** Admin configuration: read by every sending function, written only by the admin routes. */
export const CONFIG_PARTITIONS = [
  GATEWAY_PARTITION,
  GATEWAY_NAME_PARTITION,
  GATEWAY_DEFAULT_PARTITION,
  STORE_PARTITION,
  APPLICATION_PREFIX,
] as const;

export const API_KEY_PARTITIONS = [API_KEY_PREFIX] as const;

/** Webhooks: only the webhook routes and the delivery function touch them (their secrets sign). */
export const WEBHOOK_PARTITIONS = [WEBHOOK_PREFIX] as const;
/**
 * `WHDELIVERY#<store>#<webhook>`: one item per event delivered to the webhook, sorted by the event id
 * (which starts with the event's time), kept 7 days (webhook-delivery-table.ts).
 */
export const WEBHOOK_DELIVERY_PREFIX = 'WHDELIVERY#';
export const INTEGRATION_PARTITIONS = [INTEGRATION_PREFIX] as const;

/** Challenges, factors, pointers, send counters and idempotency records. */
export const CHALLENGE_PARTITIONS = [
  CHALLENGE_PREFIX,
  FACTOR_PREFIX,
  PHONE_POINTER_PREFIX,
  COUNTER_PREFIX,
  IDEMPOTENCY_PREFIX,
  MESSAGE_PREFIX,
] as const;

/** What a delivery receipt touches: its pointer, and the send record in the challenge's partition. */
export const DELIVERY_PARTITIONS = [MESSAGE_PREFIX, CHALLENGE_PREFIX] as const;
/** The send counters alone (fraud-guard blocks are counter items): the blocks routes read and lift them. */
export const COUNTER_PARTITIONS = [COUNTER_PREFIX] as const;

/**
 * Everything an identity store owns, which its deletion sweep removes (found through the `byStore`
 * index, store-ownership.ts). The store item itself and the gateways it links are configuration and
 * are removed by the delete route, not by the sweep.
 */
export const STORE_OWNED_PARTITIONS = [
  ...API_KEY_PARTITIONS,
  ...ROUTING_STATS_PARTITIONS,
  ...CHALLENGE_PARTITIONS,
  ...WEBHOOK_PARTITIONS,
  WEBHOOK_DELIVERY_PREFIX,
  APPLICATION_PREFIX,
  ...INTEGRATION_PARTITIONS,
  ...USAGE_PARTITIONS,
] as const;
