import type { CountedRequest } from '../test/support/counting-dynamodb.ts';
import { countBy } from './stats.ts';

/** DynamoDB requests of one measured phase: the route's and the authorizer's, apart. */
export interface DynamoDbTally {
  route: Record<string, number>;
  authorizer: Record<string, number>;
  /** Mean time of the route's requests, per command. */
  routeMeanMs: Record<string, number>;
  routePerRequest: number;
  authorizerPerRequest: number;
}

type Input = Record<string, unknown> | undefined;

/** A partition key as the document client sees it (a string) or as the wire does (`{ S }`). */
function partitionKey(record: unknown): string | undefined {
  const pk = (record as { pk?: unknown } | undefined)?.pk;
  if (typeof pk === 'string') return pk;
  const s = (pk as { S?: unknown } | undefined)?.S;
  return typeof s === 'string' ? s : undefined;
}

/** Every `pk` a GetItem/PutItem/UpdateItem/DeleteItem/TransactWriteItems input names. */
export function partitionKeys(input: Input): string[] {
  const holders: unknown[] = [input];
  const transact = input?.TransactItems;
  if (Array.isArray(transact)) for (const item of transact) holders.push(...Object.values(item as object));
  return holders
    .flatMap((holder) => {
      const h = holder as { Key?: unknown; Item?: unknown } | undefined;
      return [partitionKey(h?.Key), partitionKey(h?.Item)];
    })
    .filter((pk): pk is string => pk !== undefined);
}

/**
 * The API key authorizer's requests: every key they name is an `APIKEY#` item. Deployed, API Gateway
 * caches the authorizer's answer (30 s), so these are not part of an operation's own round trips.
 */
export function isAuthorizerRequest(input: Input): boolean {
  const keys = partitionKeys(input);
  return keys.length > 0 && keys.every((pk) => pk.startsWith('APIKEY#'));
}

function meanByCommand(requests: readonly CountedRequest[]): Record<string, number> {
  const means: Record<string, number> = {};
  for (const command of [...new Set(requests.map((r) => r.command))].sort()) {
    const times = requests.filter((r) => r.command === command).map((r) => r.ms);
    means[command] = times.reduce((sum, ms) => sum + ms, 0) / times.length;
  }
  return means;
}

export function tally(requests: readonly CountedRequest[], operations: number): DynamoDbTally {
  const routeRequests = requests.filter((r) => !isAuthorizerRequest(r.input));
  const route = routeRequests.map((r) => r.command);
  const authorizer = requests.filter((r) => isAuthorizerRequest(r.input)).map((r) => r.command);
  return {
    route: countBy(route),
    authorizer: countBy(authorizer),
    routeMeanMs: meanByCommand(routeRequests),
    routePerRequest: operations ? route.length / operations : Number.NaN,
    authorizerPerRequest: operations ? authorizer.length / operations : Number.NaN,
  };
}
