import { readFile } from 'node:fs/promises';
import { startLocalStack, type LocalStack } from '../local/local-stack.ts';
import { countingDocumentClient, markingProviderCalls } from '../test/support/counting-dynamodb.ts';
import { benchAccounting, type Accounting } from './accounting.ts';
import { tally } from './dynamodb-requests.ts';
import { requestJson, runLoad, type JsonResponse, admin } from './http-load.ts';
import type { OperationResult } from './report.ts';
import { countBy } from './stats.ts';

/**
 * Issue and verify on the local stack in this process: the same handlers Lambda runs, warm caches,
 * and every DynamoDB request counted. The runtime's modules are imported only once the stack has set
 * the environment they read when they load (as `npm start` does).
 */

export interface LoadSettings {
  requests: number;
  concurrency: number;
  warmup: number;
  /** Issues and verifies counted one at a time (bench/accounting.ts). */
  accountingRuns: number;
}

interface Client {
  stack: LocalStack;
  authorization: string;
  storeId: string;
  keyId: string;
}

/** Distinct valid UK mobile numbers: `+4474000` and five digits. */
const phoneNumber = (index: number) => `+4474000${String(index).padStart(5, '0')}`;

/** An identity store on the default console gateway that never rate-limits the bench, and its key. */
async function setUpClient(stack: LocalStack): Promise<Client> {
  const gateways = (await admin(stack, 'GET', '/admin/gateways')) as {
    items: { id: string; type: string }[];
  };
  const gateway = gateways.items.find((g) => g.type === 'console');
  if (!gateway) throw new Error('the fresh local store has no console gateway');
  const store = await admin(stack, 'POST', '/admin/identity-stores', {
    name: 'bench',
    smsAuth: { enabled: true, gatewayId: gateway.id },
    codePolicy: { resendIntervalSeconds: 0 },
    sendLimits: { perPhonePer10Minutes: 1000, perPhonePerDay: 1000, perStorePerDay: 10_000_000 },
    // The fraud guard stays on (its counters are part of what is measured), its limits out of the way.
    fraudGuard: { maxUnverifiedPerPrefixPerHour: 1_000_000, maxUnverifiedPerCountryPerHour: 10_000_000 },
  });
  const key = await admin(stack, 'POST', `/admin/identity-stores/${String(store.id)}/api-keys`, {
    name: 'bench',
  });
  return {
    stack,
    authorization: `Bearer ${String(key.key)}`,
    storeId: String(store.id),
    keyId: String(key.id),
  };
}

const call = (client: Client, path: string, body: unknown) =>
  requestJson(`${client.stack.url}${path}`, 'POST', body, { authorization: client.authorization });

function expectAll(responses: JsonResponse[], status: number, what: string): void {
  const failed = responses.find((r) => r.status !== status);
  if (failed)
    throw new Error(`${what}: expected every answer ${status}, got ${failed.status} ${failed.text}`);
}

/** The code last sent to each number, read off the console gateway's outbox. */
async function codesByPhone(outboxFile: string): Promise<Map<string, string>> {
  const codes = new Map<string, string>();
  for (const line of (await readFile(outboxFile, 'utf8')).split('\n').filter(Boolean)) {
    const message = JSON.parse(line) as { to: string; body: string };
    const code = /(\d{4,10})/.exec(message.body)?.[1];
    if (code) codes.set(message.to, code);
  }
  return codes;
}

/**
 * Puts the runtime's services, with every DynamoDB request counted (one client for all of them) and the
 * outbox not echoed to stdout, in place of the ones the handlers would build; `accounting` swaps in the
 * same services with the deployed un-count (deferred to the `challenge.approved` consumer); `restore`
 * puts the defaults back.
 */
async function useCountingServices(stack: LocalStack) {
  const { ConsoleSender } = await import('../shared/adapters/sms/console-sender.ts');
  const { providerSenders } = await import('../shared/adapters/sms/senders.ts');
  const { systemClock } = await import('../shared/ports/clock.ts');
  const { cryptoRandom } = await import('../shared/ports/random.ts');
  const { readConfig } = await import('../shared/runtime/config.ts');
  const { outboundGuard } = await import('../shared/runtime/wiring/outbound.ts');
  const { useLocalContext } = await import('../local/local-context.ts');
  const { deferredUncount } = await import('../shared/runtime/wiring/challenge-records.ts');
  const counting = countingDocumentClient(stack.dynamoDbEndpoint);
  const config = readConfig();
  const quietConsole = new ConsoleSender(config.outboxFile, systemClock, cryptoRandom);
  const senders = markingProviderCalls(
    providerSenders({
      timeoutMs: config.providerTimeoutMs,
      console: quietConsole,
      outbound: outboundGuard(config),
    }),
    counting,
  );
  // Locally the usage ledger's writes stand in for the deployed table stream's: no request makes them.
  const { createDocumentClient } = await import('../shared/adapters/dynamodb/document-client.ts');
  const streamDocuments = createDocumentClient({ endpoint: stack.dynamoDbEndpoint });
  useLocalContext({ documents: counting.documents, senders, streamDocuments }, config);
  return {
    counting,
    outboxFile: config.outboxFile,
    accounting: async () => {
      const ctx = useLocalContext(
        { documents: counting.documents, senders, streamDocuments, approvalUncount: 'deferred' },
        config,
      );
      const uncount = deferredUncount(ctx);
      return (storeId: string, challengeId: string) => uncount.approved(storeId, challengeId);
    },
    restore: () => void useLocalContext(),
  };
}

/** Starts the local stack on a fresh `dataDir` (the caller removes it), measures, and stops the stack. */
export async function benchIssueAndVerify(
  dataDir: string,
  settings: LoadSettings,
): Promise<{ operations: OperationResult[]; accounting: Accounting[] }> {
  const { requests, concurrency, warmup } = settings;
  let stack: LocalStack | undefined;
  let restore = () => undefined as void;
  try {
    stack = await startLocalStack({ port: 0, dataDir });
    const services = await useCountingServices(stack);
    const { counting } = services;
    restore = services.restore;
    const client = await setUpClient(stack);

    // Warm-up one request at a time: on a fresh local store the first requests create the code
    // pepper, and concurrent first requests race to create different ones.
    const issue = (index: number) => call(client, '/v1/verifications', { phoneNumber: phoneNumber(index) });
    const warmIssued = await runLoad(warmup, 1, issue);
    expectAll(warmIssued.results, 201, 'warm-up issue');
    counting.reset();
    const issued = await runLoad(requests, concurrency, (i) => issue(warmup + i));
    const issueRequests = [...counting.requests];
    expectAll(issued.results, 201, 'issue');

    const codes = await codesByPhone(stack.outboxFile);
    const verify = (response: JsonResponse, index: number) => {
      const code = codes.get(phoneNumber(index));
      if (!code) throw new Error(`no code was sent to ${phoneNumber(index)}`);
      const id = (response.body as { id: string }).id;
      return call(client, `/v1/challenges/${encodeURIComponent(id)}/verify`, { code });
    };
    const warmVerified = await runLoad(warmup, 1, (i) => verify(warmIssued.results[i]!, i));
    expectAll(warmVerified.results, 200, 'warm-up verify');
    counting.reset();
    const verified = await runLoad(requests, concurrency, (i) => verify(issued.results[i]!, warmup + i));
    const verifyRequests = [...counting.requests];
    expectAll(verified.results, 200, 'verify');

    const approved = await services.accounting();
    const accounting = await benchAccounting(
      { storeId: client.storeId, keyId: client.keyId, outboxFile: services.outboxFile },
      counting,
      approved,
      settings.accountingRuns,
      (i) => phoneNumber(warmup + requests + i),
    );

    const statuses = (responses: JsonResponse[]) => countBy(responses.map((r) => String(r.status)));
    const operations: OperationResult[] = [
      {
        name: 'issue',
        route: 'POST /v1/verifications',
        latency: issued.latency,
        warmupLatency: warmIssued.latency,
        statuses: statuses(issued.results),
        dynamodb: tally(issueRequests, requests),
      },
      {
        name: 'verify',
        route: 'POST /v1/challenges/{id}/verify',
        latency: verified.latency,
        warmupLatency: warmVerified.latency,
        statuses: statuses(verified.results),
        dynamodb: tally(verifyRequests, requests),
      },
    ];
    return { operations, accounting };
  } finally {
    restore();
    await stack?.stop();
  }
}
