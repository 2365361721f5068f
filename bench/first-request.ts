import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createSocket } from 'node:dgram';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { startLocalStack, type LocalStack } from '../local/local-stack.ts';
import { EncryptedFileStore } from '../shared/adapters/secrets/encrypted-file-store.ts';
import type { Bundle } from './bundles.ts';
import { fakeEventBridge } from './fake-eventbridge.ts';
import { fakeSecretsManager } from './fake-secrets-manager.ts';
import { admin, requestJson } from './http-load.ts';
import { lambdaEnvironment } from './lambda-environment.ts';
import { median } from './stats.ts';

const run = promisify(execFile);

/**
 * "First request": a fresh process imports a function's bundle and handles one request against
 * DynamoDB Local, so that a lazy import shows up here if it only moved cost from init to the first
 * call. The bundle runs with its deployed adapters: DynamoDB, Secrets Manager (a fake on 127.0.0.1
 * serving the local stack's pepper), EventBridge (a fake on 127.0.0.1 taking the events it publishes
 * before answering) and the Powertools tracer on, sending its segments to a UDP port
 * of this process. Verify's codes come from the console gateway; the send route sends through a
 * `custom-http` gateway to a provider stand-in on 127.0.0.1, so its first request includes loading
 * undici (which the sending functions import on the first send, not at init) and a provider call.
 */
const FIRST_REQUEST = `
const [url, eventJson] = process.argv.slice(1);
const started = performance.now();
const { handler } = await import(url);
const initMs = performance.now() - started;
const deadline = Date.now() + 10000;
const context = {
  callbackWaitsForEmptyEventLoop: true, functionName: process.env.AWS_LAMBDA_FUNCTION_NAME,
  functionVersion: '$LATEST', invokedFunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:bench',
  memoryLimitInMB: process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE, awsRequestId: 'bench-first-request',
  logGroupName: 'bench', logStreamName: 'bench', getRemainingTimeInMillis: () => deadline - Date.now(),
};
const result = await handler(JSON.parse(eventJson), context);
const totalMs = performance.now() - started;
const rssMiB = process.memoryUsage().rss / 1048576;
process.stdout.write('\\nFIRST_REQUEST ' + JSON.stringify({ initMs, invokeMs: totalMs - initMs, totalMs, rssMiB, status: result.statusCode }) + '\\n');
// Lambda freezes the process instead: let the tracer's UDP sends leave before exiting.
setTimeout(() => process.exit(0), 100);
`;

export interface FirstRequestSample {
  initMs: number;
  invokeMs: number;
  totalMs: number;
  rssMiB: number;
  status: number;
}

export interface FirstRequestResult {
  functionName: string;
  route: string;
  expectedStatus: number;
  runs: FirstRequestSample[];
  medianInitMs: number;
  medianInvokeMs: number;
  medianTotalMs: number;
  maxRssMiB: number;
}

export interface FirstRequests {
  functions: FirstRequestResult[];
  runs: number;
  /** X-Ray segment datagrams all runs sent to this process: the tracer still traces. */
  traceDatagrams: number;
  /** GetSecretValue calls the fake Secrets Manager answered (the pepper, once per fresh process). */
  secretReads: number;
  /** Events the fake EventBridge accepted: the first requests published through the deployed adapter. */
  eventsPublished: number;
}

interface Client {
  storeId: string;
  keyId: string;
  authorization: string;
}

const SECRET_PREFIX = 'sms-mfa/bench/';
/** Valid UK mobiles apart from issue-verify's `+4474000…`. */
const phoneNumber = (index: number) => `+4474001${String(index).padStart(5, '0')}`;

async function setUpClient(stack: LocalStack, gatewayId?: string): Promise<Client> {
  const store = await admin(stack, 'POST', '/admin/identity-stores', {
    name: gatewayId ? 'bench first request (provider)' : 'bench first request',
    smsAuth: { enabled: true, ...(gatewayId ? { gatewayId } : {}) },
    codePolicy: { resendIntervalSeconds: 0 },
  });
  const storeId = String(store.id);
  const key = await admin(stack, 'POST', `/admin/identity-stores/${storeId}/api-keys`, { name: 'bench' });
  return { storeId, keyId: String(key.id), authorization: `Bearer ${String(key.key)}` };
}

/** The payload-2.0 event API Gateway sends once the authorizer has put the key's identity in it. */
function apiEvent(
  client: Client,
  method: string,
  routePath: string,
  path: string,
  body: unknown,
  pathParameters?: Record<string, string>,
): APIGatewayProxyEventV2 {
  const now = new Date();
  const routeKey = `${method} ${routePath}`;
  return {
    version: '2.0',
    routeKey,
    rawPath: path,
    rawQueryString: '',
    headers: { 'content-type': 'application/json', host: 'bench.example', 'user-agent': 'sms-mfa-bench' },
    ...(pathParameters ? { pathParameters } : {}),
    requestContext: {
      accountId: '000000000000',
      apiId: 'bench',
      domainName: 'bench.example',
      domainPrefix: 'bench',
      http: { method, path, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'sms-mfa-bench' },
      requestId: randomBytes(8).toString('hex'),
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

const traceId = () =>
  `Root=1-${Math.floor(Date.now() / 1000).toString(16)}-${randomBytes(12).toString('hex')};` +
  `Parent=${randomBytes(8).toString('hex')};Sampled=1`;

async function firstRequest(
  bundle: Bundle,
  event: APIGatewayProxyEventV2,
  environment: Record<string, string>,
): Promise<FirstRequestSample> {
  const env = { PATH: process.env.PATH ?? '', ...environment, _X_AMZN_TRACE_ID: traceId() };
  // BENCH_CPU_PROF_DIR: a V8 CPU profile of each first request (init and invocation), for DevTools.
  const profile = process.env.BENCH_CPU_PROF_DIR;
  const args = [
    ...(profile ? ['--cpu-prof', `--cpu-prof-dir=${profile}`] : []),
    '--input-type=module',
    '-e',
    FIRST_REQUEST,
    pathToFileURL(bundle.file).href,
    JSON.stringify(event),
  ];
  const { stdout } = await run(process.execPath, args, { env, timeout: 60_000, maxBuffer: 16 * 1024 * 1024 });
  const line = stdout.split('\n').find((l) => l.startsWith('FIRST_REQUEST '));
  if (!line) throw new Error(`${bundle.functionName}: no result in ${stdout}`);
  return JSON.parse(line.slice('FIRST_REQUEST '.length)) as FirstRequestSample;
}

function summary(
  bundle: Bundle,
  route: string,
  expectedStatus: number,
  runs: FirstRequestSample[],
): FirstRequestResult {
  const wrong = runs.find((r) => r.status !== expectedStatus);
  if (wrong)
    throw new Error(`${bundle.functionName}: first request answered ${wrong.status}, not ${expectedStatus}`);
  return {
    functionName: bundle.functionName,
    route,
    expectedStatus,
    runs,
    medianInitMs: median(runs.map((r) => r.initMs)),
    medianInvokeMs: median(runs.map((r) => r.invokeMs)),
    medianTotalMs: median(runs.map((r) => r.totalMs)),
    maxRssMiB: Math.max(...runs.map((r) => r.rssMiB)),
  };
}

/**
 * `runs` first requests each of verify (a fresh challenge each time, issued through the local stack)
 * and of the phone verification send route, one process at a time, on a local stack of its own in
 * `dataDir` (the caller removes it).
 */
export async function benchFirstRequests(
  bundles: readonly Bundle[],
  dataDir: string,
  runs: number,
): Promise<FirstRequests> {
  const byName = (suffix: string) => {
    const bundle = bundles.find((b) => b.functionName.endsWith(`-${suffix}`));
    if (!bundle) throw new Error(`no ${suffix} bundle`);
    return bundle;
  };
  const verify = byName('challenges-verify');
  const send = byName('verifications-create');

  const stack = await startLocalStack({ port: 0, dataDir });
  const secrets = await fakeSecretsManager(await EncryptedFileStore.open(stack.dataDir), SECRET_PREFIX);
  const bus = await fakeEventBridge();
  // The provider stand-in: accepts every message, as a custom HTTP gateway's 2xx with an id.
  let providerRequests = 0;
  const provider = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      providerRequests++;
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ id: `bench-${providerRequests}` }));
    });
  });
  await new Promise<void>((resolve) => provider.listen(0, '127.0.0.1', resolve));
  const xray = createSocket('udp4');
  let traceDatagrams = 0;
  xray.on('message', () => traceDatagrams++);
  await new Promise<void>((resolve) => xray.bind(0, '127.0.0.1', resolve));
  try {
    const client = await setUpClient(stack);
    const gateway = await admin(stack, 'POST', '/admin/gateways', {
      name: 'bench provider',
      type: 'custom-http',
      authScheme: 'none',
      url: `http://127.0.0.1:${(provider.address() as AddressInfo).port}/send`,
    });
    const providerClient = await setUpClient(stack, String(gateway.id));
    const environment = (bundle: Bundle) => ({
      ...lambdaEnvironment(
        bundle.functionName,
        bundle.memorySize,
        `127.0.0.1:${(xray.address() as AddressInfo).port}`,
      ),
      ...bundle.environment,
      TABLE_NAME: stack.tableName,
      SECRET_NAME_PREFIX: SECRET_PREFIX,
      DYNAMODB_ENDPOINT: stack.dynamoDbEndpoint,
      AWS_ENDPOINT_URL_SECRETS_MANAGER: secrets.url,
      AWS_ENDPOINT_URL_EVENTBRIDGE: bus.url,
      CONSOLE_GATEWAY_ALLOWED: 'true',
      CONSOLE_OUTBOX_FILE: join(stack.dataDir, 'first-request-outbox.jsonl'),
      // The provider stand-in on loopback, which the outbound guard refuses to deployed functions otherwise.
      OUTBOUND_ALLOW_CIDRS: '127.0.0.1/32',
    });
    // The local stack creates the pepper on its first code; the bundles then read it through the fake.
    const issue = (index: number) =>
      requestJson(
        `${stack.url}/v1/verifications`,
        'POST',
        { phoneNumber: phoneNumber(index) },
        {
          authorization: client.authorization,
        },
      );
    const first = await issue(0);
    if (first.status !== 201) throw new Error(`issue through the local stack: ${first.status} ${first.text}`);

    const verifyRuns: FirstRequestSample[] = [];
    const sendRuns: FirstRequestSample[] = [];
    for (let i = 1; i <= runs; i++) {
      const issued = await issue(i);
      const id = (issued.body as { id: string }).id;
      const code = await lastCodeTo(stack.outboxFile, phoneNumber(i));
      const path = `/v1/challenges/${encodeURIComponent(id)}/verify`;
      const verifyEvent = apiEvent(
        client,
        'POST',
        '/v1/challenges/{challengeId}/verify',
        path,
        { code },
        {
          challengeId: id,
        },
      );
      verifyRuns.push(await firstRequest(verify, verifyEvent, environment(verify)));
      const sendEvent = apiEvent(providerClient, 'POST', '/v1/verifications', '/v1/verifications', {
        phoneNumber: phoneNumber(1000 + i),
      });
      sendRuns.push(await firstRequest(send, sendEvent, environment(send)));
    }
    // Datagrams still in flight from the last process.
    await new Promise((resolve) => setTimeout(resolve, 100));
    if (providerRequests !== runs) {
      throw new Error(
        `the send route's first requests reached the provider ${providerRequests} times, not ${runs}`,
      );
    }
    if (bus.entries() === 0)
      throw new Error('the first requests published no event through the fake EventBridge');
    return {
      functions: [
        summary(verify, 'POST /v1/challenges/{id}/verify', 200, verifyRuns),
        summary(send, 'POST /v1/verifications', 201, sendRuns),
      ],
      runs,
      traceDatagrams,
      secretReads: secrets.calls(),
      eventsPublished: bus.entries(),
    };
  } finally {
    xray.close();
    await new Promise((resolve) => provider.close(resolve));
    await secrets.close();
    await bus.close();
    await stack.stop();
  }
}

async function lastCodeTo(outboxFile: string, phone: string): Promise<string> {
  const { readFile } = await import('node:fs/promises');
  const lines = (await readFile(outboxFile, 'utf8')).split('\n').filter(Boolean);
  for (const line of lines.reverse()) {
    const message = JSON.parse(line) as { to: string; body: string };
    const code = message.to === phone ? /(\d{4,10})/.exec(message.body)?.[1] : undefined;
    if (code) return code;
  }
  throw new Error(`no code was sent to ${phone}`);
}
