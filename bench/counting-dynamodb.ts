import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { isAuthorizerRequest, type CountedRequest } from './dynamodb-requests.ts';

/** A document client (configured as the runtime's) that records every request it sends to DynamoDB
 * and how long the SDK took over it (retries included). */
export function countingDocumentClient(endpoint: string) {
  const raw = new DynamoDBClient({ endpoint });
  const requests: CountedRequest[] = [];
  raw.middlewareStack.add(
    (next, context) => async (args) => {
      const input = args.input as Record<string, unknown> | undefined;
      const started = performance.now();
      try {
        return await next(args);
      } finally {
        requests.push({
          command: context.commandName ?? 'unknown',
          authorizer: isAuthorizerRequest(input),
          ms: performance.now() - started,
        });
      }
    },
    { step: 'initialize', name: 'benchCountRequests' },
  );
  const documents = DynamoDBDocumentClient.from(raw, { marshallOptions: { removeUndefinedValues: true } });
  return { documents, requests };
}
