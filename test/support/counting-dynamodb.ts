import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/** A document client that counts the requests it sends to DynamoDB, by command name. */
export function countingDocumentClient(endpoint: string) {
  const raw = new DynamoDBClient({ endpoint });
  const calls: string[] = [];
  raw.middlewareStack.add(
    (next, context) => async (args) => {
      calls.push(context.commandName ?? 'unknown');
      return next(args);
    },
    { step: 'initialize', name: 'countRequests' },
  );
  const documents = DynamoDBDocumentClient.from(raw, { marshallOptions: { removeUndefinedValues: true } });
  return { documents, calls };
}
