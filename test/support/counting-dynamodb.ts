import { AsyncLocalStorage } from 'node:async_hooks';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { SmsSenders } from '../../shared/ports/sms-sender.ts';

/** One request the client sent: its command, its input as the SDK saw it, and when it ran. */
export interface CountedRequest {
  command: string;
  input: Record<string, unknown> | undefined;
  /** Positions on the client's own sequence of starts, ends and marks, so no two are equal. */
  startedAt: number;
  endedAt: number;
  /** From the SDK's first middleware to the parsed answer (retries included). */
  ms: number;
}

/**
 * What one request caused, split at the moment its answer was given: the sequential round trips that
 * ended before it (the answer waited for them), the requests that ended after it (the answer did not
 * wait for them: a side path, a consumer), and the total.
 */
export interface RequestCount {
  /** Rounds before the answer, each sorted by command name. */
  beforeAnswer: string[][];
  /** Rounds that ended before the provider was called (none marked: every round before the answer). */
  beforeProvider: string[][];
  /** Commands that ended after the answer, sorted. */
  afterAnswer: string[];
  /** Every request: those before the answer and those after it. */
  total: number;
  requests: CountedRequest[];
}

/**
 * Groups requests into sequential round trips: a round starts with a request that starts once every
 * earlier one has ended, so requests that overlap (sent in parallel, or one started while another waits)
 * share a round.
 */
export function roundsOf(requests: readonly CountedRequest[]): string[][] {
  const rounds: string[][] = [];
  let lastEnd = -1;
  for (const request of [...requests].sort((a, b) => a.startedAt - b.startedAt)) {
    if (request.startedAt > lastEnd) rounds.push([]);
    rounds.at(-1)!.push(request.command);
    lastEnd = Math.max(lastEnd, request.endedAt);
  }
  return rounds.map((round) => round.sort());
}

const endedBefore = (requests: readonly CountedRequest[], moment: number) =>
  requests.filter((r) => r.endedAt < moment);

interface Scope {
  requests: CountedRequest[];
  inFlight: number;
  started: number;
  providerAt?: number;
}

/**
 * A document client, configured as the runtime's, that records every request it sends to DynamoDB.
 * Given to the services as their only client (tests and the bench do), it sees every request a request
 * causes: in the use case, beside its events, after its answer. `measure` runs one request in a scope of
 * its own (AsyncLocalStorage), so what it causes is told apart from what runs at the same time (another
 * request, a timer an earlier request started), and splits it at the answer.
 */
export function countingDocumentClient(endpoint: string) {
  const raw = new DynamoDBClient({ endpoint });
  const scopes = new AsyncLocalStorage<Scope>();
  const requests: CountedRequest[] = [];
  let sequence = 0;
  raw.middlewareStack.add(
    (next, context) => async (args) => {
      const scope = scopes.getStore();
      const startedAt = sequence++;
      const started = performance.now();
      if (scope) {
        scope.inFlight++;
        scope.started++;
      }
      try {
        return await next(args);
      } finally {
        const request: CountedRequest = {
          command: context.commandName ?? 'unknown',
          input: args.input as Record<string, unknown> | undefined,
          startedAt,
          endedAt: sequence++,
          ms: performance.now() - started,
        };
        requests.push(request);
        if (scope) {
          scope.requests.push(request);
          scope.inFlight--;
        }
      }
    },
    { step: 'initialize', name: 'countRequests' },
  );
  const documents = DynamoDBDocumentClient.from(raw, { marshallOptions: { removeUndefinedValues: true } });

  /** Until the scope has nothing in flight and started nothing for a few turns of the event loop. */
  async function quiet(scope: Scope): Promise<void> {
    for (let calm = 0; calm < 10;) {
      const seen = scope.started;
      await new Promise((resolve) => setImmediate(resolve));
      calm = scope.inFlight === 0 && scope.started === seen ? calm + 1 : 0;
    }
  }

  return {
    documents,
    /** Every request since the last reset, in the order they ended. */
    requests,
    /** Every round trip since the last reset, each sorted by command name. */
    rounds: () => roundsOf(requests),
    reset: () => void (requests.length = 0),
    /** Called by a sender stand-in: the first provider call of the request being measured starts now. */
    providerCalled: () => {
      const scope = scopes.getStore();
      if (scope && scope.providerAt === undefined) scope.providerAt = sequence++;
    },
    /**
     * Runs `request` (which resolves when its answer is given) and then `after` (work its answer does not
     * wait for: an asynchronous consumer of its events), waits until the work it left behind has ended,
     * and counts what it caused.
     */
    measure: async <T>(
      request: () => Promise<T>,
      after?: (result: T) => Promise<unknown>,
    ): Promise<{ result: T; count: RequestCount }> => {
      const scope: Scope = { requests: [], inFlight: 0, started: 0 };
      const result = await scopes.run(scope, request);
      const answeredAt = sequence++;
      if (after) await scopes.run(scope, () => after(result));
      await quiet(scope);
      const before = endedBefore(scope.requests, answeredAt);
      return {
        result,
        count: {
          beforeAnswer: roundsOf(before),
          beforeProvider: roundsOf(endedBefore(before, scope.providerAt ?? answeredAt)),
          afterAnswer: scope.requests
            .filter((r) => r.endedAt > answeredAt)
            .map((r) => r.command)
            .sort(),
          total: scope.requests.length,
          requests: [...scope.requests],
        },
      };
    },
  };
}

export type CountingClient = ReturnType<typeof countingDocumentClient>;

/** `senders` with each send noted as the provider call of the request being measured. */
export function markingProviderCalls(
  senders: SmsSenders,
  counting: Pick<CountingClient, 'providerCalled'>,
): SmsSenders {
  return {
    forType: (type) => {
      const sender = senders.forType(type);
      return (
        sender && {
          send: (...args) => {
            counting.providerCalled();
            return sender.send(...args);
          },
        }
      );
    },
  };
}
