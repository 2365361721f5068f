import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Context as LambdaContext, SQSEvent, SQSRecord } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { handler } from '../../functions/reroutes/queue.ts';
import { useLocalContext } from '../../local/local-context.ts';
import { eventsFilePublisher } from '../../shared/runtime/wiring/webhook-deliveries.ts';
import type { DeliveryStats, GatewayCountryStats } from '../../shared/ports/delivery-stats.ts';
import { readConfig } from '../../shared/runtime/config.ts';
import { mobileNumber } from '../support/client.ts';
import { failoverStore } from '../support/failover-store.ts';
import { startFakeProvider, type FakeProvider } from '../support/fake-provider.ts';
import { eventLines } from '../support/local-events.ts';
import { startTestServer, type TestServer } from '../support/local-server.ts';

/**
 * The deployed reroute path against DynamoDB Local: the service runs with the `queue` strategy
 * (REROUTE_QUEUE_URL set), so each accepted message's job goes to SQS (mocked: the test keeps each
 * SendMessage) instead of a timer, and the reroute worker's handler (functions/reroutes/queue.ts) runs
 * the messages it is handed, as the SQS event source would, also twice.
 */
const QUEUE_URL = 'https://sqs.eu-west-1.amazonaws.com/111122223333/sms-mfa-test-reroute-jobs';
const DEADLINE_SECONDS = 30;
const PUBLIC_URL = 'https://mfa.example.com';

const sqs = mockClient(SQSClient);
let server: TestServer;
let sinchApi: FakeProvider;
let fallbackApi: FakeProvider;
let documents: DynamoDBDocumentClient;
let previousPublicUrl: string | undefined;
const stats = new Map<string, GatewayCountryStats[]>();
const memoryStats: DeliveryStats = {
  snapshot: async (storeId, { now }) => ({ asOf: now, items: stats.get(storeId) ?? [] }),
};

beforeAll(async () => {
  previousPublicUrl = process.env.PUBLIC_URL;
  process.env.PUBLIC_URL = PUBLIC_URL;
  server = await startTestServer();
  useLocalContext({ deliveryStats: memoryStats }, { ...readConfig(), rerouteQueueUrl: QUEUE_URL });
  [sinchApi, fallbackApi] = await Promise.all([startFakeProvider(), startFakeProvider()]);
  documents = DynamoDBDocumentClient.from(
    new DynamoDBClient({
      endpoint: server.dynamoDbEndpoint,
      region: 'local',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    }),
  );
});
afterAll(async () => {
  sqs.restore();
  useLocalContext();
  await server.stop();
  await Promise.all([sinchApi.close(), fallbackApi.close()]);
  if (previousPublicUrl === undefined) delete process.env.PUBLIC_URL;
  else process.env.PUBLIC_URL = previousPublicUrl;
});
beforeEach(() => {
  sqs.reset();
  sqs.on(SendMessageCommand).resolves({ MessageId: 'queued' });
});

const id = () => Math.random().toString(36).slice(2);
const codeIn = (body: string) => /(?<!\d)(\d{6})(?!\d)/.exec(body)?.[1];
const lambdaContext = {
  functionName: 'sms-mfa-test-reroute-jobs',
  awsRequestId: 'request-1',
  getRemainingTimeInMillis: () => 30_000,
} as unknown as LambdaContext;

/** The messages put on the reroute queue so far, as SQS records (the job sent last, first out of none). */
async function queued(): Promise<
  { record: SQSRecord; delaySeconds: number; body: Record<string, unknown> }[]
> {
  // A job is queued beside the answer (the event's publication): give it a moment to land.
  await new Promise((resolve) => setTimeout(resolve, 200));
  return sqs.commandCalls(SendMessageCommand).map((call, index) => {
    const input = call.args[0].input;
    expect(input.QueueUrl).toBe(QUEUE_URL);
    return {
      delaySeconds: input.DelaySeconds!,
      body: JSON.parse(input.MessageBody!) as Record<string, unknown>,
      record: {
        messageId: `m-${index}-${id()}`,
        receiptHandle: `rh-${index}`,
        body: input.MessageBody!,
        attributes: { ApproximateReceiveCount: '1' },
        messageAttributes: {},
        md5OfBody: '',
        eventSource: 'aws:sqs',
        eventSourceARN: 'arn:aws:sqs:eu-west-1:111122223333:sms-mfa-test-reroute-jobs',
        awsRegion: 'eu-west-1',
      } as unknown as SQSRecord,
    };
  });
}
const deliver = (...records: SQSRecord[]) =>
  handler({ Records: records } satisfies SQSEvent, lambdaContext) as Promise<{
    batchItemFailures: { itemIdentifier: string }[];
  }>;

async function setup() {
  const { client, sinchId, fallbackId } = await failoverStore(
    server,
    { sinch: sinchApi, fallback: fallbackApi },
    { deadlineSeconds: DEADLINE_SECONDS },
  );
  // Sinch usually reports `delivered` for GB numbers of this store: a deadline reroute is allowed.
  stats.set(client.storeId, [
    {
      country: 'GB',
      gatewayId: sinchId,
      accepted: 20,
      delivered: 18,
      failed: 0,
      learnAccepted: 0,
      learnApproved: 0,
    },
  ]);
  const enroll = async () => {
    const userId = `u-${id()}`;
    const phone = mobileNumber();
    const batch = `batch-${id()}`;
    sinchApi.reply({ status: 201, body: { id: batch } });
    const sent = await client.call('PUT', `/v1/users/${userId}/sms-factor`, { phoneNumber: phone });
    expect(sent.status, sent.text).toBe(202);
    const request = JSON.parse(sinchApi.requests.at(-1)!.body) as { body: string };
    return { challengeId: sent.body.challenge.id as string, code: codeIn(request.body)!, batch, phone };
  };
  const fallbackCodesTo = (phone: string) =>
    fallbackApi.requests.filter((r) => r.body.includes(phone.slice(1))).map((r) => codeIn(r.body));
  /** The challenge's events of `type`, once at least `expected` have landed (up to 3 s: publishing is a side path). */
  const events = async (type: string, challengeId: string, expected = 0) => {
    const read = async () =>
      (await eventLines(server.dataDir)).filter((e) => e.type === type && e.data.challengeId === challengeId);
    for (let waited = 0; waited < 3_000 && (await read()).length < expected; waited += 100) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    return read();
  };
  return {
    sinchId,
    fallbackId,
    client,
    enroll,
    fallbackCodesTo,
    events,
  };
}

describe('the reroute worker (deployed: SQS delay queue)', () => {
  it('an accepted message arms one delayed job on the queue: ids only, delayed by the deadline', async () => {
    const s = await setup();
    const sent = await s.enroll();
    const jobs = await queued();
    expect(jobs).toHaveLength(1);
    expect(jobs[0]!.delaySeconds).toBeGreaterThan(DEADLINE_SECONDS - 5);
    expect(jobs[0]!.delaySeconds).toBeLessThanOrEqual(DEADLINE_SECONDS);
    expect(jobs[0]!.body).toEqual({
      storeId: s.client.storeId,
      challengeId: sent.challengeId,
      gatewayId: s.sinchId,
      providerMessageId: sent.batch,
      reason: 'deadline',
    });
    // Nothing that could be sent or matched to a person: no code, no number.
    expect(jobs[0]!.record.body).not.toContain(sent.code);
    expect(jobs[0]!.record.body).not.toContain(sent.phone.slice(3));
  });

  it('a job reroutes once: its second delivery, and the rerouted message’s own job, send nothing', async () => {
    const s = await setup();
    const sent = await s.enroll();
    const [job] = await queued();
    expect(await deliver(job!.record)).toEqual({ batchItemFailures: [] });
    const codes = s.fallbackCodesTo(sent.phone);
    expect(codes).toHaveLength(1);
    expect(codes[0]).not.toBe(sent.code);
    expect(await s.events('code.rerouted', sent.challengeId, 1)).toHaveLength(1);

    // SQS delivers at least once: the same message again, and the job the rerouted message armed.
    const all = await queued();
    expect(all).toHaveLength(2);
    expect(all[1]!.body).toMatchObject({ challengeId: sent.challengeId, gatewayId: s.fallbackId });
    expect(await deliver(job!.record, all[1]!.record)).toEqual({ batchItemFailures: [] });
    expect(s.fallbackCodesTo(sent.phone)).toHaveLength(1);
    expect(await s.events('code.rerouted', sent.challengeId, 1)).toHaveLength(1);
    // The rerouted code verifies.
    const verified = await s.client.call('POST', `/v1/challenges/${sent.challengeId}/verify`, {
      code: codes[0],
    });
    expect(verified.status, verified.text).toBe(200);
  });

  it('a worker instance no route ran in publishes its reroute and arms the rerouted message’s job', async () => {
    const s = await setup();
    const sent = await s.enroll();
    const [job] = await queued();
    // Deployed, the worker is a function of its own: its context has built nothing but what the job needs.
    // Its publisher takes a while (as PutEvents does), so only a handler that waits for it sees it done.
    useLocalContext(
      {
        deliveryStats: memoryStats,
        eventsFile: (ctx) => {
          const inner = eventsFilePublisher(ctx);
          return {
            publish: async (event) => {
              await new Promise((resolve) => setTimeout(resolve, 300));
              await inner.publish(event);
            },
          };
        },
      },
      { ...readConfig(), rerouteQueueUrl: QUEUE_URL },
    );
    expect(await deliver(job!.record)).toEqual({ batchItemFailures: [] });
    // Read as soon as the handler returns, without waiting: Lambda may freeze the process right after, so
    // what the reroute publishes and arms must be done by then.
    expect(s.fallbackCodesTo(sent.phone)).toHaveLength(1);
    expect(await s.events('code.rerouted', sent.challengeId)).toHaveLength(1);
    const sends = await s.events('code.sent', sent.challengeId);
    expect(sends.map((e) => e.data.gatewayId)).toEqual([s.sinchId, s.fallbackId]);
    const armed = sqs
      .commandCalls(SendMessageCommand)
      .map((call) => JSON.parse(call.args[0].input.MessageBody!));
    expect(armed).toHaveLength(2);
    expect(armed[1]).toMatchObject({ challengeId: sent.challengeId, gatewayId: s.fallbackId });
  });

  it('the same job delivered twice at once still reroutes once (the claim is a conditional write)', async () => {
    const s = await setup();
    const sent = await s.enroll();
    const [job] = await queued();
    const twin = { ...job!.record, messageId: `${job!.record.messageId}-again` };
    await Promise.all([deliver(job!.record), deliver(twin)]);
    expect(s.fallbackCodesTo(sent.phone)).toHaveLength(1);
    expect(await s.events('code.rerouted', sent.challengeId, 1)).toHaveLength(1);
  });

  it('a job for an approved challenge sends nothing', async () => {
    const s = await setup();
    const sent = await s.enroll();
    const verified = await s.client.call('POST', `/v1/challenges/${sent.challengeId}/verify`, {
      code: sent.code,
    });
    expect(verified.status, verified.text).toBe(200);
    const [job] = await queued();
    expect(await deliver(job!.record)).toEqual({ batchItemFailures: [] });
    expect(s.fallbackCodesTo(sent.phone)).toEqual([]);
    expect(await s.events('code.rerouted', sent.challengeId)).toEqual([]);
  });

  it('a job for a deleted store sends and writes nothing', async () => {
    const s = await setup();
    const sent = await s.enroll();
    const deleted = await server.admin('DELETE', `/admin/identity-stores/${s.client.storeId}`);
    expect(deleted.status, deleted.text).toBe(204);
    const [job] = await queued();
    expect(await deliver(job!.record)).toEqual({ batchItemFailures: [] });
    expect(s.fallbackCodesTo(sent.phone)).toEqual([]);
    expect(await s.events('code.rerouted', sent.challengeId)).toEqual([]);
    // No claim or send record was written for the deleted store.
    const { Items } = await documents.send(
      new (await import('@aws-sdk/lib-dynamodb')).QueryCommand({
        TableName: server.tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': `CHALLENGE#${sent.challengeId}` },
      }),
    );
    expect(Items ?? []).toEqual([]);
  });

  it('a message that is not a job is dropped; a job that fails is handed back to SQS alone', async () => {
    const s = await setup();
    const sent = await s.enroll();
    const [job] = await queued();
    const junk = { ...job!.record, messageId: 'junk', body: '{"storeId":1}' };
    // A job whose store read fails (DynamoDB throttled) throws: SQS redelivers that message only.
    useLocalContext(
      { deliveryStats: memoryStats },
      { ...readConfig(), rerouteQueueUrl: QUEUE_URL, faults: new Set(['dynamodb']) },
    );
    try {
      expect(await deliver(junk, job!.record)).toEqual({
        batchItemFailures: [{ itemIdentifier: job!.record.messageId }],
      });
    } finally {
      useLocalContext({ deliveryStats: memoryStats }, { ...readConfig(), rerouteQueueUrl: QUEUE_URL });
    }
    // Redelivered once DynamoDB answers again: the reroute goes out.
    expect(await deliver(job!.record)).toEqual({ batchItemFailures: [] });
    expect(s.fallbackCodesTo(sent.phone)).toHaveLength(1);
  });
});
