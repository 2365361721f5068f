import type { DynamoDBRecord } from 'aws-lambda';
import { STORE_PARTITION } from './identity-store-table.ts';

/**
 * The table stream's records that mean "an identity store was deleted". CDK puts the same pattern
 * on the event source mapping, so the sweeper is invoked for nothing else; the handler checks again.
 */
export const STORE_REMOVED_FILTER = {
  eventName: ['REMOVE'],
  dynamodb: { Keys: { pk: { S: [STORE_PARTITION] } } },
} as const;

export function deletedStoreId(record: DynamoDBRecord): string | undefined {
  const keys = record.dynamodb?.Keys;
  if (record.eventName !== 'REMOVE' || keys?.pk?.S !== STORE_PARTITION) return undefined;
  const sk = keys.sk?.S ?? '';
  return sk.startsWith(`${STORE_PARTITION}#`) ? sk.slice(STORE_PARTITION.length + 1) : undefined;
}
