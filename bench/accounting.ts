import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { readFile } from 'node:fs/promises';
import type { CountingClient, RequestCount } from '../test/support/counting-dynamodb.ts';
import { isAuthorizerRequest } from './dynamodb-requests.ts';
import { countBy } from './stats.ts';

/**
 * What one issue and one verify cause in DynamoDB, counted by the one client every DynamoDB access of
 * the services goes through: the handler (the same module Lambda runs, with the authorizer's context
 * already in the event, as API Gateway passes it) runs in a scope of its own, one request at a time,
 * split where its answer is given. The verify runs with the deployed un-count: the `challenge.approved`
 * consumer's work is run by the bench after the answer (deployed, the bus rule runs it), so it counts as
 * after the answer. Local mode's default un-counts inline, before the answer (api.md), one round more.
 */

export interface Accounting {
  name: string;
  route: string;
  runs: number;
  /** Sequential round trips before the answer, each sorted by command; the same in every run. */
  beforeAnswer: string[][];
  /** Round trips before the provider call (issue) or the answer (verify). */
  beforeProvider: string[][];
  /** Requests that ended after the answer, per request, by command. */
  afterAnswer: Record<string, number>;
  afterAnswerPerRequest: number;
  totalPerRequest: number;
  /** Local mode's webhook lookups (one Query per event), counted apart: see `withoutLookups`. */
  lookupsPerRequest: number;
}

export interface AccountingClient {
  storeId: string;
  keyId: string;
  outboxFile: string;
}

type Handler = (event: APIGatewayProxyEventV2, context: Context) => Promise<unknown>;

const QUERY = 'QueryCommand';

/**
 * Local mode's webhook dispatcher looks up the store's webhooks once per event, started by the
 * publication and never waited for (deployed, the bus hands events to the delivery function): it ends
 * beside a round, alone between two or after the answer as the timing falls, so it takes no round of
 * the answer's and is reported apart.
 */
function withoutLookups(rounds: string[][]): string[][] {
  return rounds.map((round) => round.filter((c) => c !== QUERY)).filter((round) => round.length > 0);
}

function summarise(name: string, route: string, counts: RequestCount[]): Accounting {
  const shapes = counts.map((c) => JSON.stringify(withoutLookups(c.beforeAnswer)));
  if (new Set(shapes).size !== 1)
    throw new Error(
      `${name}: the rounds before the answer differ between runs: ${[...new Set(shapes)].join(' / ')}`,
    );
  // The authorizer is another function (deployed, API Gateway caches its answer): none of its requests
  // may be in a route's count.
  const authorizer = counts.flatMap((c) => c.requests).filter((r) => isAuthorizerRequest(r.input));
  if (authorizer.length > 0) throw new Error(`${name}: the authorizer's requests were counted`);
  const after = counts.flatMap((c) => c.afterAnswer).filter((c) => c !== QUERY);
  const lookups = counts.flatMap((c) => c.requests).filter((r) => r.command === QUERY).length;
  const total = counts.reduce((sum, c) => sum + c.total, 0);
  const first = counts[0]!;
  return {
    name,
    route,
    runs: counts.length,
    beforeAnswer: withoutLookups(first.beforeAnswer),
    beforeProvider: withoutLookups(first.beforeProvider),
    afterAnswer: countBy(after),
    afterAnswerPerRequest: after.length / counts.length,
    totalPerRequest: (total - lookups) / counts.length,
    lookupsPerRequest: lookups / counts.length,
  };
}

function event(
  client: AccountingClient,
  routeKey: string,
  path: string,
  body: unknown,
  pathParameters?: Record<string, string>,
): APIGatewayProxyEventV2 {
  const now = new Date();
  const [method = 'POST'] = routeKey.split(' ');
  return {
    version: '2.0',
    routeKey,
    rawPath: path,
    rawQueryString: '',
    headers: { 'content-type': 'application/json', host: 'bench.example' },
    ...(pathParameters ? { pathParameters } : {}),
    requestContext: {
      accountId: 'bench',
      apiId: 'bench',
      domainName: 'bench.example',
      domainPrefix: 'bench',
      http: { method, path, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'sms-mfa-bench' },
      requestId: `bench-${now.getTime()}`,
      routeKey,
      stage: '$default',
      time: now.toUTCString(),
      timeEpoch: now.getTime(),
      authorizer: { lambda: { storeId: client.storeId, keyId: client.keyId } },
    } as APIGatewayProxyEventV2['requestContext'],
    body: JSON.stringify(body),
    isBase64Encoded: false,
  };
}

const context = (name: string): Context =>
  ({
    functionName: `sms-mfa-bench-${name}`,
    awsRequestId: `bench-${name}`,
    getRemainingTimeInMillis: () => 30_000,
  }) as Context;

async function lastCodeTo(outboxFile: string, phone: string): Promise<string> {
  const lines = (await readFile(outboxFile, 'utf8')).split('\n').filter(Boolean).reverse();
  for (const line of lines) {
    const message = JSON.parse(line) as { to: string; body: string };
    const code = message.to === phone ? /(\d{4,10})/.exec(message.body)?.[1] : undefined;
    if (code) return code;
  }
  throw new Error(`no code was sent to ${phone}`);
}

const status = (result: unknown) => (result as { statusCode?: number }).statusCode;

/**
 * `runs` issues and verifies, one at a time, with the services (built on `counting`) already in place;
 * `approved` runs the `challenge.approved` consumer's work for one challenge.
 */
export async function benchAccounting(
  client: AccountingClient,
  counting: CountingClient,
  approved: (storeId: string, challengeId: string) => Promise<unknown>,
  runs: number,
  phoneNumber: (index: number) => string,
): Promise<Accounting[]> {
  const { handler: issue } = (await import('../functions/verifications/create.ts')) as { handler: Handler };
  const { handler: verify } = (await import('../functions/challenges/verify.ts')) as { handler: Handler };
  const issues: RequestCount[] = [];
  const verifies: RequestCount[] = [];
  // The first pair fills the fresh services' caches (config, pepper) and is not counted.
  for (let i = 0; i <= runs; i++) {
    const phone = phoneNumber(i);
    const issued = await counting.measure(() =>
      issue(
        event(client, 'POST /v1/verifications', '/v1/verifications', { phoneNumber: phone }),
        context('issue'),
      ),
    );
    if (status(issued.result) !== 201) throw new Error(`accounting issue: ${JSON.stringify(issued.result)}`);
    if (i > 0) issues.push(issued.count);
    const id = (JSON.parse((issued.result as { body: string }).body) as { id: string }).id;
    const code = await lastCodeTo(client.outboxFile, phone);
    const path = `/v1/challenges/${encodeURIComponent(id)}/verify`;
    const verified = await counting.measure(
      () =>
        verify(
          event(client, 'POST /v1/challenges/{challengeId}/verify', path, { code }, { challengeId: id }),
          context('verify'),
        ),
      () => approved(client.storeId, id),
    );
    if (status(verified.result) !== 200)
      throw new Error(`accounting verify: ${JSON.stringify(verified.result)}`);
    if (i > 0) verifies.push(verified.count);
  }
  return [
    summarise('issue', 'POST /v1/verifications', issues),
    summarise('verify', 'POST /v1/challenges/{id}/verify', verifies),
  ];
}
