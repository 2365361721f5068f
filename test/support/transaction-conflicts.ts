import {
  DynamoDBClient,
  TransactionCanceledException,
  TransactionConflictException,
} from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

type Key = Record<string, unknown>;

/** `{ pk: { S: 'x' } }` (marshalled) or `{ pk: 'x' }`: one spelling for comparing items. */
function keyOf(key: Key | undefined): string {
  const text = (value: unknown) =>
    typeof value === 'object' && value && 'S' in value ? String((value as { S: unknown }).S) : String(value);
  return `${text(key?.pk)}|${text(key?.sk)}`;
}

function transactionKeys(input: { TransactItems?: Record<string, { Key?: Key; Item?: Key }>[] }): string[] {
  return (input.TransactItems ?? []).map((item) => {
    const write = Object.values(item)[0];
    return keyOf(write?.Key ?? write?.Item);
  });
}

/**
 * A DynamoDB client that enforces DynamoDB's transaction-conflict rule, which DynamoDB Local does not:
 * a transaction touching an item that another transaction in flight touches is cancelled with
 * `TransactionConflict`, and a single-item write to such an item fails with TransactionConflictException.
 * Each transaction holds its items for `holdMs` longer than DynamoDB Local takes, as a real service's
 * latency would, so that concurrent requests really overlap.
 */
export function conflictEnforcingClient(endpoint: string, options: { holdMs?: number } = {}) {
  const holdMs = options.holdMs ?? 5;
  const raw = new DynamoDBClient({ endpoint });
  const held = new Set<string>();
  const stats = { transactions: 0, conflicts: 0 };
  raw.middlewareStack.add(
    (next, context) => async (args) => {
      const input = args.input as Record<string, unknown>;
      if (context.commandName === 'TransactWriteItemsCommand') {
        stats.transactions++;
        const keys = transactionKeys(input as never);
        if (keys.some((key) => held.has(key))) {
          stats.conflicts++;
          throw new TransactionCanceledException({
            message: 'Transaction cancelled, please refer cancellation reasons for specific reasons',
            $metadata: {},
            CancellationReasons: keys.map((key) => ({
              Code: held.has(key) ? 'TransactionConflict' : 'None',
            })),
          });
        }
        for (const key of keys) held.add(key);
        try {
          await new Promise((resolve) => setTimeout(resolve, holdMs));
          return await next(args);
        } finally {
          for (const key of keys) held.delete(key);
        }
      }
      if (['PutItemCommand', 'UpdateItemCommand', 'DeleteItemCommand'].includes(context.commandName ?? '')) {
        if (held.has(keyOf((input.Key ?? input.Item) as Key))) {
          stats.conflicts++;
          throw new TransactionConflictException({
            message: 'Transaction is ongoing for the item',
            $metadata: {},
          });
        }
      }
      return next(args);
    },
    { step: 'build', name: 'enforceTransactionConflicts' },
  );
  const documents = DynamoDBDocumentClient.from(raw, { marshallOptions: { removeUndefinedValues: true } });
  return { documents, stats };
}
