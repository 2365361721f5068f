import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/**
 * A document client that counts the requests it sends to DynamoDB, by command name, and groups them into
 * sequential round trips: a round starts when a request starts while none is in flight, so requests sent
 * in parallel share one round.
 */
export function countingDocumentClient(endpoint: string) {
  const raw = new DynamoDBClient({ endpoint });
  const calls: string[] = [];
  const rounds: string[][] = [];
  let inFlight = 0;
  raw.middlewareStack.add(
    (next, context) => async (args) => {
      const name = context.commandName ?? 'unknown';
      calls.push(name);
      // After a reset, a request still in flight from before it belongs to no round: this one starts one.
      if (inFlight === 0 || rounds.length === 0) rounds.push([]);
      rounds.at(-1)!.push(name);
      inFlight++;
      try {
        return await next(args);
      } finally {
        inFlight--;
      }
    },
    { step: 'initialize', name: 'countRequests' },
  );
  const documents = DynamoDBDocumentClient.from(raw, { marshallOptions: { removeUndefinedValues: true } });
  return {
    documents,
    calls,
    /** The round trips since the last reset, each sorted by command name. */
    rounds: () => rounds.map((round) => [...round].sort()),
    reset: () => {
      calls.length = 0;
      rounds.length = 0;
    },
  };
}
