import { describe, expect, it } from 'vitest';
import { isAuthorizerRequest, partitionKeys, tally } from '../../bench/dynamodb-requests.ts';
import { roundsOf, type CountedRequest } from '../support/counting-dynamodb.ts';
import {
  counts,
  markdownTable,
  renderMarkdown,
  renderPumping,
  type BenchResults,
} from '../../bench/report.ts';
import { countBy, median, percentile, summarize } from '../../bench/stats.ts';

describe('percentile (nearest rank)', () => {
  const hundred = Array.from({ length: 100 }, (_, i) => i + 1);

  it('picks the value at rank ceil(p/100 * n)', () => {
    expect(percentile(hundred, 50)).toBe(50);
    expect(percentile(hundred, 95)).toBe(95);
    expect(percentile(hundred, 99)).toBe(99);
    expect(percentile(hundred, 100)).toBe(100);
    expect(percentile([10, 20, 30], 50)).toBe(20);
    expect(percentile([10, 20, 30], 99)).toBe(30);
  });

  it('handles the edges', () => {
    expect(percentile(hundred, 0)).toBe(1);
    expect(percentile([7], 99)).toBe(7);
    expect(percentile([], 50)).toBeNaN();
  });
});

describe('median', () => {
  it('is the middle value, or the mean of the two middle ones, whatever the order', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNaN();
  });
});

describe('summarize', () => {
  it('gives percentiles, mean, max and throughput from the wall time', () => {
    const summary = summarize([30, 10, 20, 40], 2000);
    expect(summary).toEqual({
      count: 4,
      p50Ms: 20,
      p95Ms: 40,
      p99Ms: 40,
      meanMs: 25,
      maxMs: 40,
      wallMs: 2000,
      throughputPerSecond: 2,
    });
  });
});

describe('countBy', () => {
  it('counts each name, keys sorted', () => {
    expect(Object.entries(countBy(['b', 'a', 'b']))).toEqual([
      ['a', 1],
      ['b', 2],
    ]);
  });
});

describe('DynamoDB request classes', () => {
  it("recognises the authorizer's requests by their APIKEY# keys, in document or wire form", () => {
    expect(isAuthorizerRequest({ TableName: 't', Key: { pk: 'APIKEY#abc', sk: 'APIKEY' } })).toBe(true);
    expect(isAuthorizerRequest({ Key: { pk: { S: 'APIKEY#abc' }, sk: { S: 'APIKEY' } } })).toBe(true);
    expect(isAuthorizerRequest({ Key: { pk: 'STORE#s1', sk: 'STORE' } })).toBe(false);
    expect(isAuthorizerRequest({ Item: { pk: 'CHALLENGE#c1' } })).toBe(false);
    expect(isAuthorizerRequest({ TableName: 't' })).toBe(false);
    expect(isAuthorizerRequest(undefined)).toBe(false);
  });

  it('reads the keys of every item in a transaction', () => {
    const input = {
      TransactItems: [{ Put: { Item: { pk: 'PHONE#1' } } }, { Update: { Key: { pk: { S: 'STORE#s' } } } }],
    };
    expect(partitionKeys(input)).toEqual(['PHONE#1', 'STORE#s']);
    expect(isAuthorizerRequest(input)).toBe(false);
  });

  it("tallies the route's and the authorizer's requests apart, per operation", () => {
    const result = tally(
      [
        counted('GetItemCommand', true, 1),
        counted('GetItemCommand', false, 2),
        counted('TransactWriteItemsCommand', false, 6),
        counted('GetItemCommand', false, 4),
        counted('TransactWriteItemsCommand', false, 8),
      ],
      2,
    );
    expect(result).toEqual({
      route: { GetItemCommand: 2, TransactWriteItemsCommand: 2 },
      authorizer: { GetItemCommand: 1 },
      routeMeanMs: { GetItemCommand: 3, TransactWriteItemsCommand: 7 },
      routePerRequest: 2,
      authorizerPerRequest: 0.5,
    });
  });
});

/** A request as the counting client records it: the authorizer's name an `APIKEY#` item. */
function counted(command: string, authorizer: boolean, ms: number): CountedRequest {
  const pk = authorizer ? 'APIKEY#k' : 'STORE#s';
  return { command, input: { Key: { pk, sk: 'X' } }, startedAt: 0, endedAt: 1, ms };
}

describe('rounds', () => {
  it('puts overlapping requests in one round and a request started after every earlier one ended in the next', () => {
    const at = (command: string, startedAt: number, endedAt: number): CountedRequest => ({
      command,
      input: undefined,
      startedAt,
      endedAt,
      ms: 0,
    });
    // A, then B and C in parallel, then D started while C still ran (it waits on nothing of the answer's),
    // then E after all of them.
    const requests = [at('A', 0, 1), at('C', 3, 7), at('B', 2, 5), at('D', 6, 8), at('E', 9, 10)];
    expect(roundsOf(requests)).toEqual([['A'], ['B', 'C', 'D'], ['E']]);
    expect(roundsOf([])).toEqual([]);
  });
});

describe('Markdown', () => {
  it('renders a table with right-aligned number columns and escaped pipes', () => {
    expect(markdownTable(['Name', 'ms'], [['a|b', '1.0']], new Set([1]))).toBe(
      ['| Name | ms |', '| --- | ---: |', '| a\\|b | 1.0 |'].join('\n'),
    );
  });

  it('lists counts without the Command suffix, with mean times when given', () => {
    expect(counts({ GetItemCommand: 300, UpdateItemCommand: 2 }, { GetItemCommand: 4.25 })).toBe(
      'GetItem ×300 (4.3 ms), UpdateItem ×2',
    );
    expect(counts({})).toBe('none');
  });

  it('renders every section from the results', () => {
    const latency = summarize([10, 20, 30], 15);
    const results: BenchResults = {
      date: '2026-01-01T00:00:00.000Z',
      machine: { node: 'v20.0.0', cpuModel: 'Test CPU', cores: 2, platform: 'linux x64', memoryGiB: 4 },
      settings: {
        requests: 3,
        concurrency: 2,
        warmup: 1,
        accountingRuns: 2,
        configCacheSeconds: 60,
        initRuns: 3,
        initParallelism: 1,
        firstRequestRuns: 2,
      },
      operations: [
        {
          name: 'verify',
          route: 'POST /v1/challenges/{id}/verify',
          latency,
          warmupLatency: summarize([5], 5),
          statuses: { '200': 3 },
          dynamodb: tally([counted('UpdateItemCommand', false, 3), counted('GetItemCommand', true, 1)], 1),
        },
      ],
      accounting: [
        {
          name: 'issue',
          route: 'POST /v1/verifications',
          runs: 2,
          beforeAnswer: [
            ['GetItemCommand'],
            ['TransactWriteItemsCommand', 'UpdateItemCommand'],
            ['PutItemCommand'],
          ],
          beforeProvider: [['GetItemCommand'], ['TransactWriteItemsCommand', 'UpdateItemCommand']],
          afterAnswer: {},
          afterAnswerPerRequest: 0,
          totalPerRequest: 4,
          lookupsPerRequest: 2,
        },
        {
          name: 'verify',
          route: 'POST /v1/challenges/{id}/verify',
          runs: 2,
          beforeAnswer: [['UpdateItemCommand']],
          beforeProvider: [['UpdateItemCommand']],
          afterAnswer: { GetItemCommand: 2, UpdateItemCommand: 4 },
          afterAnswerPerRequest: 3,
          totalPerRequest: 4,
          lookupsPerRequest: 1,
        },
      ],
      bundles: [
        {
          functionName: 'sms-mfa-x-health',
          bytes: 1024,
          kib: 1,
          totalKib: 1.5,
          memorySize: 256,
          hotPath: false,
          targetMs: 200,
          init: { runsMs: [4, 6, 5], medianMs: 5, medianCpuMs: 6, medianRssMiB: 40 },
          ratioToEmpty: 10,
          ratioToHealth: 1,
          topInputs: [{ name: 'aws-xray-sdk-core', bytes: 512 }],
        },
        {
          functionName: 'sms-mfa-x-challenges-verify',
          bytes: 2048,
          kib: 2,
          totalKib: 3,
          memorySize: 512,
          hotPath: true,
          targetMs: 120,
          init: { runsMs: [130, 125, 140], medianMs: 130, medianCpuMs: 110, medianRssMiB: 50.25 },
          ratioToEmpty: 260,
          ratioToHealth: 26,
          topInputs: [
            { name: 'zod', bytes: 1024 },
            { name: 'shared/domain', bytes: 512 },
          ],
        },
      ],
      emptyModuleInit: { runsMs: [0.5, 0.4, 0.6], medianMs: 0.5, medianCpuMs: 0.4, medianRssMiB: 38 },
      firstRequests: {
        runs: 2,
        traceDatagrams: 4,
        secretReads: 2,
        eventsPublished: 6,
        functions: [
          {
            functionName: 'sms-mfa-x-challenges-verify',
            route: 'POST /v1/challenges/{id}/verify',
            expectedStatus: 200,
            runs: [
              { initMs: 100, invokeMs: 50, totalMs: 150, rssMiB: 60, status: 200 },
              { initMs: 110, invokeMs: 40, totalMs: 150, rssMiB: 61, status: 200 },
            ],
            medianInitMs: 105,
            medianInvokeMs: 45,
            medianTotalMs: 150,
            maxRssMiB: 61,
          },
        ],
      },
      durationSeconds: 42,
    };
    const markdown = renderMarkdown(results);
    expect(markdown).toContain('Node v20.0.0 · Test CPU · 2 cores');
    expect(markdown).toContain('run took 42 s');
    expect(markdown).toContain(
      '| verify | `POST /v1/challenges/{id}/verify` | 20.0 | 30.0 | 30.0 | 20.0 | 30.0 | 200.0 | 200 ×3 | 5.0 |',
    );
    expect(markdown).toContain('| verify | 1.00 | UpdateItem ×1 (3.0 ms) | 1.00 | GetItem ×1 |');
    expect(markdown).toContain(
      '| sms-mfa-x-health | 256 | 1.0 | 1.5 | 5.0 | 10.0 | 1.00× | 6.0 | 40.0 | 200 met | 4.0, 6.0, 5.0 |',
    );
    // The hot path is starred, and a missed target says so.
    expect(markdown).toContain(
      '| ★ sms-mfa-x-challenges-verify | 512 | 2.0 | 3.0 | 130.0 | 260.0 | 26.00× | 110.0 | 50.3 | 120 MISSED | 130.0, 125.0, 140.0 |',
    );
    expect(markdown).toContain('| 2 functions |  |  | 4.5 |');
    expect(markdown).toContain('empty module: 0.5 ms (runs 0.5, 0.4, 0.6); `health`: 5.0 ms');
    expect(markdown).toContain('hot path (★) ≤ 120 ms, every other function ≤ 200 ms');
    expect(markdown).toContain('| sms-mfa-x-challenges-verify | zod 1.0, shared/domain 0.5 |');
    expect(markdown).toContain(
      '| sms-mfa-x-challenges-verify | `POST /v1/challenges/{id}/verify` | 105.0 | 45.0 | 150.0 | 30.00× | 61.0 | 150.0, 150.0 |',
    );
    // Issue and verify: rounds before the provider call and the answer, requests after it, the total.
    expect(markdown).toContain(
      '| issue | 2 | GetItem; TransactWriteItems ∥ UpdateItem; PutItem | 3 | 0.00 | 4.00 | 2.00 |',
    );
    expect(markdown).toContain(
      '| verify |  | UpdateItem | 1 | 3.00 (GetItem ×2, UpdateItem ×4 in 2) | 4.00 | 1.00 |',
    );
    expect(markdown).toContain('2 pepper reads, 6 events published, 4 X-Ray segment datagrams received');
  });
});

describe('renderPumping', () => {
  it('writes the range messages, legitimate successes, provider calls of refused sends and the added latency', () => {
    const text = renderPumping({
      pumpedSends: 1000,
      rangeNumbers: 100,
      legitSignIns: 200,
      configuredMax: 20,
      rangeMessages: 20,
      legitSucceeded: 200,
      refused: { 'send-blocked': 880, 'rate-limited': 100 },
      providerCallsForRefused: 0,
      guardOnMedianMs: 12.34,
      guardOffMedianMs: 10.04,
      addedLatencyMs: 2.3,
    }).join('\n');
    expect(text).toContain('| messages the range got | 20 (at most 20) |');
    expect(text).toContain('200 of 200');
    expect(text).toContain('send-blocked ×880');
    expect(text).toContain('| provider calls for refused sends | 0 |');
    expect(text).toContain('2.3 ms (12.3 on, 10.0 off)');
    expect(renderPumping(undefined)).toEqual([]);
  });
});
