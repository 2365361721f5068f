import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { defineOperation } from '../../shared/operations/operation.ts';
import { buildHttpHandler } from '../../shared/http/http-handler.ts';

/**
 * A send whose deadline passes before its work answers (a hanging table as much as a provider) is answered
 * apart from the middy chain that still runs: it must leave with the same security headers as any answer.
 */
const hangingSend = defineOperation({
  id: 'testHangingSend',
  method: 'POST',
  path: '/v1/test-hanging-send',
  auth: 'none',
  access: [],
  summary: 'A send that never finishes',
  status: 200,
  problems: ['gateway-error'],
  sends: true,
});

function eventArrivedAgo(ms: number): APIGatewayProxyEventV2 {
  return {
    version: '2.0',
    routeKey: 'POST /v1/test-hanging-send',
    rawPath: '/v1/test-hanging-send',
    rawQueryString: '',
    headers: {},
    isBase64Encoded: false,
    requestContext: {
      accountId: 'local',
      apiId: 'local',
      domainName: 'localhost',
      domainPrefix: 'localhost',
      http: {
        method: 'POST',
        path: '/v1/test-hanging-send',
        protocol: 'HTTP/1.1',
        sourceIp: '127.0.0.1',
        userAgent: 'test',
      },
      requestId: 'late-answer',
      routeKey: 'POST /v1/test-hanging-send',
      stage: '$default',
      time: new Date().toISOString(),
      timeEpoch: Date.now() - ms,
    },
  };
}

const context = {
  functionName: 'test',
  awsRequestId: 'late-answer',
  getRemainingTimeInMillis: () => 30_000,
} as unknown as Context;

describe('a send answered at its deadline', () => {
  it('is a 502 problem with the security headers every other answer has', async () => {
    let started = false;
    const handler = buildHttpHandler(hangingSend, () => {
      started = true;
      return new Promise(() => undefined);
    });
    // Arrived long enough ago that its provider budget is already spent: the late answer wins at once.
    const result = (await handler(eventArrivedAgo(60_000), context)) as {
      statusCode: number;
      headers: Record<string, string>;
      body: string;
    };
    expect(result.statusCode).toBe(502);
    expect(JSON.parse(result.body)).toMatchObject({ status: 502 });
    const headers = Object.fromEntries(Object.entries(result.headers).map(([k, v]) => [k.toLowerCase(), v]));
    expect(headers['x-content-type-options']).toBe('nosniff');
    expect(headers['strict-transport-security']).toContain('max-age');
    expect(headers['content-type']).toContain('application/problem+json');
    expect(started).toBe(true);
  });
});
