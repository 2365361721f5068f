import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { AttributeValue as LambdaAttributeValue, DynamoDBRecord } from 'aws-lambda';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { UsageFact } from '../../domain/usage/usage-projection.ts';
import { CHALLENGE_PREFIX } from './key-prefixes.ts';

/**
 * The table stream's records the usage projection reads (cdk/constructs/table-stream-aggregates.ts
 * puts the same pattern on the event source mapping): send records and challenge endings.
 */
export const USAGE_RECORD_FILTER = {
  dynamodb: { NewImage: { entity: { S: ['send', 'challenge-end'] } } },
} as const;

type Image = Record<string, unknown>;

function imageOf(image: Record<string, LambdaAttributeValue> | undefined): Image | undefined {
  return image ? unmarshall(image as Record<string, AttributeValue>) : undefined;
}

const challengeIdOf = (pk: unknown) =>
  typeof pk === 'string' && pk.startsWith(CHALLENGE_PREFIX) ? pk.slice(CHALLENGE_PREFIX.length) : undefined;

/**
 * The usage facts of one stream record (send-history-table.ts items): a new send record is an attempt;
 * a send record that gains its first delivery status is a receipt; an ending that turns `approved` is an
 * approval. Anything else is none.
 */
export function usageFactsOf(record: DynamoDBRecord): UsageFact[] {
  const next = imageOf(record.dynamodb?.NewImage);
  const before = imageOf(record.dynamodb?.OldImage);
  if (!next || typeof next.storeId !== 'string') return [];
  const storeId = next.storeId;
  const challengeId = challengeIdOf(next.pk);
  if (!challengeId) return [];
  if (next.entity === 'challenge-end') {
    const approvedNow = next.status === 'approved' && before?.status !== 'approved';
    return approvedNow ? [{ kind: 'approved', storeId, challengeId }] : [];
  }
  if (next.entity !== 'send' || typeof next.at !== 'string' || typeof next.gatewayId !== 'string') return [];
  const usage = (next.usage ?? {}) as { country?: string; estimatedCost?: number; channel?: string };
  const summary = (next.summary ?? {}) as { test?: boolean };
  if (record.eventName === 'INSERT') {
    const outcome = next.outcome;
    if (outcome !== 'accepted' && outcome !== 'refused' && outcome !== 'unknown') return [];
    return [
      {
        kind: 'attempt',
        storeId,
        challengeId,
        at: Date.parse(next.at),
        country: usage.country,
        gatewayId: next.gatewayId,
        channel: usage.channel === 'voice' ? 'voice' : 'sms',
        outcome,
        cost: typeof usage.estimatedCost === 'number' ? usage.estimatedCost : 0,
        test: summary.test === true,
      },
    ];
  }
  const status = next.deliveryStatus;
  const firstStatus = record.eventName === 'MODIFY' && before?.deliveryStatus === undefined;
  if (!firstStatus || (status !== 'delivered' && status !== 'failed' && status !== 'undelivered')) return [];
  if (summary.test === true) return [];
  return [
    {
      kind: 'receipt',
      storeId,
      sentAt: Date.parse(next.at),
      country: usage.country,
      gatewayId: next.gatewayId,
      status,
      ...(typeof next.reportedCost === 'number' ? { reportedCost: next.reportedCost } : {}),
    },
  ];
}
