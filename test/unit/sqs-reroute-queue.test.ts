import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import {
  MAX_DELAY_SECONDS,
  rerouteJobOf,
  SqsRerouteQueue,
} from '../../shared/adapters/reroutes/sqs-reroute-queue.ts';
import type { RerouteJob } from '../../shared/domain/deliveries/reroute-code.ts';
import { chooseStrategies } from '../../shared/runtime/strategies.ts';
import { readConfig } from '../../shared/runtime/config.ts';

const QUEUE_URL = 'https://sqs.eu-west-1.amazonaws.com/111122223333/sms-mfa-dev-reroute-jobs';
const JOB: RerouteJob = {
  storeId: 'ids_1',
  challengeId: 'ch_06h39444vmc51z16kb2tf4xp7m',
  gatewayId: 'gw_sinch',
  providerMessageId: 'batch-01',
  reason: 'deadline',
};

const sqs = mockClient(SQSClient);
afterEach(() => sqs.reset());
const adapter = () => new SqsRerouteQueue(async () => new SQSClient({}), QUEUE_URL);
const sent = () => sqs.commandCalls(SendMessageCommand).map((call) => call.args[0].input);

describe('SqsRerouteQueue', () => {
  it('sends the job as the body, delayed by its deadline in whole seconds (rounded up: never early)', async () => {
    sqs.on(SendMessageCommand).resolves({ MessageId: 'm-1' });
    await adapter().enqueue(JOB, 30_000);
    await adapter().enqueue({ ...JOB, reason: 'failed-receipt' }, 0);
    await adapter().enqueue(JOB, 4_001);
    expect(sent()).toEqual([
      { QueueUrl: QUEUE_URL, MessageBody: JSON.stringify(JOB), DelaySeconds: 30 },
      {
        QueueUrl: QUEUE_URL,
        MessageBody: JSON.stringify({ ...JOB, reason: 'failed-receipt' }),
        DelaySeconds: 0,
      },
      { QueueUrl: QUEUE_URL, MessageBody: JSON.stringify(JOB), DelaySeconds: 5 },
    ]);
  });

  it("caps the delay at SQS's 15 minutes (api.md bounds the deadline to 900 s) and never goes below 0", async () => {
    sqs.on(SendMessageCommand).resolves({});
    await adapter().enqueue(JOB, 900_000);
    await adapter().enqueue(JOB, 3_600_000);
    await adapter().enqueue(JOB, -250);
    expect(sent().map((input) => input.DelaySeconds)).toEqual([900, MAX_DELAY_SECONDS, 0]);
  });

  it('puts the job on the queue and nothing else an object carries (no code, no phone number)', async () => {
    sqs.on(SendMessageCommand).resolves({});
    const carrying = { ...JOB, code: '123456', phone: '+447400123456' } as RerouteJob;
    await adapter().enqueue(carrying, 10_000);
    const body = sent()[0]!.MessageBody!;
    expect(JSON.parse(body)).toEqual(JOB);
    expect(body).not.toContain('123456');
    expect(body).not.toContain('+44');
  });

  it('lets a send failure through, so that the deadline watch counts RerouteJobFailed', async () => {
    sqs.on(SendMessageCommand).rejects(Object.assign(new Error('denied'), { name: 'AccessDenied' }));
    await expect(adapter().enqueue(JOB, 1000)).rejects.toThrow('denied');
  });

  it('reads back every job it sends, and refuses bodies that are not a job', () => {
    const jobs = fc.record({
      storeId: fc.string({ minLength: 1 }),
      challengeId: fc.string({ minLength: 1 }),
      gatewayId: fc.string({ minLength: 1 }),
      providerMessageId: fc.string({ minLength: 1 }),
      reason: fc.constantFrom('deadline' as const, 'failed-receipt' as const),
    });
    fc.assert(
      fc.property(jobs, (job) => {
        expect(rerouteJobOf(JSON.stringify(job))).toEqual(job);
      }),
      { seed: 26, numRuns: 200 },
    );
    expect(rerouteJobOf('not json')).toBeUndefined();
    expect(rerouteJobOf(JSON.stringify({ ...JOB, reason: 'whim' }))).toBeUndefined();
    expect(rerouteJobOf(JSON.stringify({ ...JOB, storeId: '' }))).toBeUndefined();
    expect(rerouteJobOf(JSON.stringify({ storeId: 'ids_1' }))).toBeUndefined();
    expect(rerouteJobOf('null')).toBeUndefined();
  });
});

describe('the rerouteJobs strategy', () => {
  const base = readConfig({ TABLE_NAME: 't', SECRET_STORE: 'file' });
  it('is the queue wherever REROUTE_QUEUE_URL is set, local timers in local mode, else unavailable', () => {
    expect(chooseStrategies({ ...base, rerouteQueueUrl: QUEUE_URL, localMode: false }).rerouteJobs).toBe(
      'queue',
    );
    expect(chooseStrategies({ ...base, rerouteQueueUrl: QUEUE_URL, localMode: true }).rerouteJobs).toBe(
      'queue',
    );
    expect(chooseStrategies({ ...base, rerouteQueueUrl: undefined, localMode: true }).rerouteJobs).toBe(
      'timers',
    );
    expect(chooseStrategies({ ...base, rerouteQueueUrl: undefined, localMode: false }).rerouteJobs).toBe(
      'unavailable',
    );
  });
  it('reads REROUTE_QUEUE_URL from the environment', () => {
    expect(
      readConfig({ TABLE_NAME: 't', SECRET_STORE: 'file', REROUTE_QUEUE_URL: QUEUE_URL }).rerouteQueueUrl,
    ).toBe(QUEUE_URL);
  });
});

describe('what deployed functions bundle of delivery failover', () => {
  it('the SQS queue and never the local timers (handed in by the local context only)', async () => {
    const { build } = await import('esbuild');
    for (const entry of ['functions/sms-factor/enroll.ts', 'functions/reroutes/queue.ts']) {
      const { metafile } = await build({
        entryPoints: [entry],
        bundle: true,
        write: false,
        metafile: true,
        platform: 'node',
        format: 'esm',
        external: ['@aws-sdk/*'],
        logLevel: 'silent',
      });
      const inputs = Object.keys(metafile.inputs);
      expect(inputs, entry).toContain('shared/adapters/reroutes/sqs-reroute-queue.ts');
      expect(inputs, entry).not.toContain('shared/adapters/reroutes/local-reroute-timers.ts');
    }
  }, 60_000);
});
