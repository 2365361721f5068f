import {
  UpdateCommand,
  type DynamoDBDocumentClient,
  type TransactWriteCommandInput,
  type UpdateCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { pendingAudit } from '../../domain/audit/audit-scope.ts';
import { NotFound } from '../../domain/errors.ts';
import { storeKey } from './store-key.ts';
import { ConditionsFailed, ignoreConditionFailure, transactWrite } from './transactions.ts';

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/** The optimistic-concurrency condition of every versioned admin item (`If-Match`). */
export const expectVersion = (version: number) => ({
  ConditionExpression: '#version = :expected',
  ExpressionAttributeNames: { '#version': 'version' },
  ExpressionAttributeValues: { ':expected': version },
});

/** A best-effort update: `false` when its condition refused it, any other failure is thrown. */
export async function conditionalUpdate(
  client: DynamoDBDocumentClient,
  input: UpdateCommandInput,
): Promise<boolean> {
  try {
    await client.send(new UpdateCommand(input));
    return true;
  } catch (error) {
    ignoreConditionFailure(error);
    return false;
  }
}

/**
 * `conditionalUpdate` for a write that an admin route may make (and others too): within an admin write
 * it is a transaction that carries the request's audit record (transactions.ts); elsewhere one UpdateItem.
 */
export async function auditableUpdate(
  client: DynamoDBDocumentClient,
  input: UpdateCommandInput,
): Promise<boolean> {
  if (!pendingAudit()) return conditionalUpdate(client, input);
  try {
    await transactWrite(client, {
      TransactItems: [{ Update: input as NonNullable<TransactItem['Update']> }],
    });
    return true;
  } catch (error) {
    if (error instanceof ConditionsFailed && error.at(0)) return false;
    throw error;
  }
}

/**
 * Creates an item a store owns, conditional on the store existing, in one transaction: an item created
 * while its store is being deleted either lands before the delete (and the sweep removes it) or is
 * refused. Further checks follow at positions 2, 3, ... of the ConditionsFailed the caller may map.
 */
export async function createOwnedByStore(
  client: DynamoDBDocumentClient,
  tableName: string,
  storeId: string,
  item: Record<string, unknown>,
  checks: TransactItem[] = [],
): Promise<void> {
  try {
    await transactWrite(client, {
      TransactItems: [
        {
          ConditionCheck: {
            TableName: tableName,
            Key: storeKey(storeId),
            ConditionExpression: 'attribute_exists(pk)',
          },
        },
        { Put: { TableName: tableName, Item: item, ConditionExpression: 'attribute_not_exists(pk)' } },
        ...checks,
      ],
    });
  } catch (error) {
    if (error instanceof ConditionsFailed && error.at(0)) throw new NotFound('The identity store');
    throw error;
  }
}
