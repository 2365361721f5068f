import { Aws } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import {
  AUDIT_PREFIX,
  FACTOR_PREFIX,
  API_KEY_PARTITIONS,
  APPLICATION_PREFIX,
  CHALLENGE_PARTITIONS,
  CHALLENGE_PREFIX,
  CONFIG_PARTITIONS,
  DELIVERY_PARTITIONS,
  COUNTER_PARTITIONS,
  INTEGRATION_PARTITIONS,
  STORE_OWNED_PARTITIONS,
  STORE_PARTITION,
  USAGE_PARTITIONS,
  WEBHOOK_DELIVERY_PREFIX,
  WEBHOOK_PARTITIONS,
  ROUTING_STATS_PARTITIONS,
  GATEWAY_HEALTH_PARTITIONS,
} from '../../shared/adapters/dynamodb/key-prefixes.ts';
import { STORE_INDEX } from '../../shared/adapters/dynamodb/store-ownership.ts';
import { GSI1 } from '../../shared/adapters/dynamodb/table-definition.ts';
import type { Access } from '../../shared/routes.ts';
import type { Grant } from './grants.ts';

/** The access kinds that touch the table, each with the partitions it may touch (key-prefixes.ts). */
export type TableAccess = Extract<
  Access,
  `${'audit' | 'config' | 'api-keys' | 'challenges' | 'deliveries' | 'store-items' | 'stores' | 'webhooks' | 'webhook-deliveries' | 'integrations' | 'blocks' | 'support' | 'usage' | 'routing' | 'gateway-health'}:${string}`
>;

interface TableGrant {
  /** Item actions on the table, allowed only for items whose partition key is in `partitions`. */
  actions: readonly string[];
  partitions: readonly string[];
  /** Query on these indexes (their items are copies of table items the kind may already read). */
  queryIndexes?: readonly string[];
}

const ITEM_READ = ['dynamodb:GetItem', 'dynamodb:Query'] as const;
const ITEM_CHANGES = ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'] as const;
/** Transactions need no action of their own: IAM checks each Put, Update, Delete and ConditionCheck item. */
const ITEM_WRITE = [...ITEM_CHANGES, 'dynamodb:ConditionCheckItem'] as const;
/** Items a store lists through GSI1 (keys, integrations). */
const LISTED_BY_STORE = { queryIndexes: [GSI1.name] };

/**
 * Table access kind -> explicit actions on explicit partitions. Nothing gets Scan, stream actions or
 * table-level actions; BatchWriteItem only where a kind deletes many items at once.
 */
export const TABLE_GRANTS: { readonly [A in TableAccess]: TableGrant } = {
  'config:read': { actions: ITEM_READ, partitions: CONFIG_PARTITIONS },
  // The store and application items only: API key creation checks them in its transaction, the
  // authorizer reads them.
  'stores:check': {
    actions: ['dynamodb:GetItem', 'dynamodb:ConditionCheckItem'],
    partitions: [STORE_PARTITION, APPLICATION_PREFIX],
  },
  'config:write': { actions: [...ITEM_READ, ...ITEM_WRITE], partitions: CONFIG_PARTITIONS },
  // Reads the key by id and refreshes lastUsedAt; cannot create, delete or list keys.
  'api-keys:authenticate': {
    actions: ['dynamodb:GetItem', 'dynamodb:UpdateItem'],
    partitions: API_KEY_PARTITIONS,
  },
  'api-keys:read': { actions: ['dynamodb:GetItem'], partitions: API_KEY_PARTITIONS, ...LISTED_BY_STORE },
  'api-keys:write': {
    actions: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem'],
    partitions: API_KEY_PARTITIONS,
    ...LISTED_BY_STORE,
  },
  'integrations:read': {
    actions: ['dynamodb:GetItem'],
    partitions: INTEGRATION_PARTITIONS,
    ...LISTED_BY_STORE,
  },
  'integrations:write': {
    actions: ['dynamodb:GetItem', ...ITEM_CHANGES],
    partitions: INTEGRATION_PARTITIONS,
    ...LISTED_BY_STORE,
  },
  'challenges:read': { actions: ['dynamodb:GetItem'], partitions: CHALLENGE_PARTITIONS },
  'challenges:write': { actions: ['dynamodb:GetItem', ...ITEM_WRITE], partitions: CHALLENGE_PARTITIONS },
  // The challenge item and its send records: one partition, one Query; nothing else of the challenges.
  'challenges:history': { actions: ['dynamodb:Query'], partitions: [CHALLENGE_PREFIX] },
  // The factor item, and the user's challenges through gsi1 (copies of challenge items): nothing else.
  'support:read': { actions: ['dynamodb:GetItem'], partitions: [FACTOR_PREFIX], queryIndexes: [GSI1.name] },
  // Reset and unlock: the factor and its audit record in one transaction; closing the user's challenges.
  'support:write': {
    actions: ['dynamodb:GetItem', 'dynamodb:UpdateItem', 'dynamodb:PutItem'],
    partitions: [FACTOR_PREFIX, CHALLENGE_PREFIX, AUDIT_PREFIX],
  },
  // An admin write's audit record, added to the write's own transaction: a new item, never read or changed.
  'audit:write': { actions: ['dynamodb:PutItem'], partitions: [AUDIT_PREFIX] },
  // The receipt pointer by message id, then the one send record it names.
  'deliveries:write': {
    actions: ['dynamodb:GetItem', 'dynamodb:UpdateItem'],
    partitions: DELIVERY_PARTITIONS,
  },
  'challenges:report-expiry': {
    actions: ['dynamodb:GetItem', 'dynamodb:UpdateItem'],
    partitions: [CHALLENGE_PREFIX],
  },
  // A store's hourly counters: one partition, one Query over the window.
  'routing:read': { actions: ['dynamodb:Query'], partitions: ROUTING_STATS_PARTITIONS },
  'routing:write': { actions: ['dynamodb:UpdateItem'], partitions: ROUTING_STATS_PARTITIONS },
  // A gateway's window and state: one Query. Sends add their outcomes and write the state conditionally.
  'gateway-health:read': { actions: ['dynamodb:Query'], partitions: GATEWAY_HEALTH_PARTITIONS },
  'gateway-health:write': {
    actions: ['dynamodb:Query', 'dynamodb:UpdateItem'],
    partitions: GATEWAY_HEALTH_PARTITIONS,
  },
  'webhooks:read': { actions: ITEM_READ, partitions: WEBHOOK_PARTITIONS },
  // Create, rotate, disable, delete; one store's webhooks are one partition, read with Query.
  'webhooks:write': { actions: [...ITEM_READ, ...ITEM_CHANGES], partitions: WEBHOOK_PARTITIONS },
  // A webhook's deliveries: one partition per webhook, listed newest first with Query.
  'webhook-deliveries:read': {
    actions: ['dynamodb:GetItem', 'dynamodb:Query'],
    partitions: [WEBHOOK_DELIVERY_PREFIX],
  },
  // Opened once per (webhook, event), then each attempt's claim and outcome: never deleted (TTL does).
  'webhook-deliveries:write': {
    actions: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'],
    partitions: [WEBHOOK_DELIVERY_PREFIX],
  },
  // A store's counters are found through the keys-only `byStore` index, then read one by one.
  'blocks:read': {
    actions: ['dynamodb:GetItem'],
    partitions: COUNTER_PARTITIONS,
    queryIndexes: [STORE_INDEX.name],
  },
  'blocks:write': {
    actions: ['dynamodb:GetItem', 'dynamodb:UpdateItem'],
    partitions: COUNTER_PARTITIONS,
    queryIndexes: [STORE_INDEX.name],
  },
  // The usage route: one Query per counter shard, nothing else of the ledger.
  'usage:read': { actions: ['dynamodb:Query'], partitions: USAGE_PARTITIONS },
  // The stream projection: increments, a challenge's claim (conditional) and its read.
  'usage:write': { actions: ['dynamodb:GetItem', 'dynamodb:UpdateItem'], partitions: USAGE_PARTITIONS },
  'store-items:sweep': {
    actions: ['dynamodb:DeleteItem', 'dynamodb:BatchWriteItem'],
    partitions: STORE_OWNED_PARTITIONS,
    queryIndexes: [STORE_INDEX.name],
  },
};

/** `dynamodb:LeadingKeys` patterns for `StringLike`: the prefix `APIKEY#` becomes `APIKEY#*`, `STORE` stays. */
export function leadingKeyPatterns(partitions: readonly string[]): string[] {
  return partitions.map((p) => (p.endsWith('#') ? `${p}*` : p));
}

/** What DynamoDB asks KMS for on the caller's behalf when the table has a customer-managed key. */
const TABLE_KEY_READ = ['kms:Decrypt', 'kms:DescribeKey'];
const TABLE_KEY_WRITE = [...TABLE_KEY_READ, 'kms:Encrypt', 'kms:GenerateDataKey'];

export function tableGrant(kind: TableAccess): Grant {
  const { actions, partitions, queryIndexes = [] } = TABLE_GRANTS[kind];
  const writes = actions.some((a) => !['dynamodb:GetItem', 'dynamodb:Query'].includes(a));
  return (role, { table }) => {
    if (table.encryptionKey) {
      role.addToPrincipalPolicy(
        new PolicyStatement({
          actions: writes ? TABLE_KEY_WRITE : TABLE_KEY_READ,
          resources: [table.encryptionKey.keyArn],
          conditions: { StringEquals: { 'kms:ViaService': `dynamodb.${Aws.REGION}.amazonaws.com` } },
        }),
      );
    }
    role.addToPrincipalPolicy(
      new PolicyStatement({
        actions: [...actions],
        resources: [table.tableArn],
        // ForAllValues: every partition key the request touches (a batch or transaction has several) must match.
        conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': leadingKeyPatterns(partitions) } },
      }),
    );
    for (const indexName of queryIndexes) {
      role.addToPrincipalPolicy(
        new PolicyStatement({
          actions: ['dynamodb:Query'],
          resources: [`${table.tableArn}/index/${indexName}`],
        }),
      );
    }
  };
}
