import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ChallengeStoreTable } from '../adapters/dynamodb/challenge-store-table.ts';
import { FactorTable } from '../adapters/dynamodb/factor-table.ts';
import { UserSupportTable } from '../adapters/dynamodb/user-support-table.ts';
import type { Pepper } from '../domain/codes/pepper.ts';
import { UserSupport } from '../domain/support/user-support.ts';
import type { Clock } from '../ports/clock.ts';
import type { EventPort } from '../ports/events.ts';
import type { Random } from '../ports/random.ts';
import type { ReplacementNotifier } from '../ports/replacement-notifier.ts';

/** The support desk's user routes (issue 28), from the primitives the composition root already has. */
export function supportWiring(deps: {
  documents: DynamoDBDocumentClient;
  tableName: string;
  stores: { get(id: string): Promise<unknown> };
  notifier: ReplacementNotifier;
  pepper: Pick<Pepper, 'versions'>;
  clock: Clock;
  random: Random;
  events: EventPort;
}): UserSupport {
  const { documents, tableName, ...rest } = deps;
  return new UserSupport({
    ...rest,
    support: new UserSupportTable(documents, tableName),
    factors: new FactorTable(documents, tableName),
    challenges: new ChallengeStoreTable(documents, tableName),
  });
}
