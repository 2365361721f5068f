import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBDocumentClient, TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { Conflict } from '../../domain/errors.ts';

export interface CancelledItem {
  index: number;
  code: string;
  /** The item as it was, where the failing condition asked for it. */
  item?: Record<string, unknown>;
}

/** Thrown when a transaction's own conditions failed; other cancellations (conflicts) are rethrown as is. */
export class ConditionsFailed extends Error {
  constructor(readonly failed: CancelledItem[]) {
    super(`transaction conditions failed at ${failed.map((f) => f.index).join(', ')}`);
  }
  at(index: number): CancelledItem | undefined {
    return this.failed.find((f) => f.index === index);
  }
}

/**
 * Runs a transaction, turning ConditionalCheckFailed cancellations into ConditionsFailed with the
 * failing positions. A TransactionConflict (another transaction on the same items) is retried with
 * jittered backoff, and answered as a 409 when it persists.
 */
export async function transactWrite(
  client: DynamoDBDocumentClient,
  input: TransactWriteCommandInput,
  retries = 8,
): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      await client.send(new TransactWriteCommand(input));
      return;
    } catch (error) {
      if (!(error instanceof TransactionCanceledException)) throw error;
      const reasons = error.CancellationReasons ?? [];
      const failed = reasons
        .map((reason, index) => ({ reason, index }))
        .filter(({ reason }) => reason.Code === 'ConditionalCheckFailed')
        .map(({ reason, index }) => ({
          index,
          code: reason.Code ?? '',
          item: reason.Item ? unmarshall(reason.Item) : undefined,
        }));
      if (failed.length > 0) throw new ConditionsFailed(failed);
      const conflict = reasons.some((r) => r.Code === 'TransactionConflict');
      if (!conflict) throw error;
      if (attempt >= retries)
        throw new Conflict('Another request changed the same data at the same moment; retry.');
      await new Promise((resolve) => setTimeout(resolve, 10 + Math.random() * 40 * (attempt + 1)));
    }
  }
}
