import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiGatewayResponse } from '../../local/api-gateway-response.ts';
import { handler as health } from '../../functions/health/get.ts';
import { handler as gatewayTypes } from '../../functions/gateway-types/list.ts';
import { handler as getGateway } from '../../functions/gateways/get.ts';
import type { LambdaHttpHandler } from '../../shared/http/http-handler.ts';
import { apiEvent } from '../support/api-event.ts';
import { clientFor } from '../support/client.ts';
import { startTestServer, type TestServer } from '../support/local-server.ts';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.stop());

/** Added by the HTTP connection or the server itself, not by the Lambda result. */
const TRANSPORT = new Set([
  'date',
  'connection',
  'keep-alive',
  'content-length',
  'transfer-encoding',
  'apigw-requestid',
]);
const fromResult = (headers: Headers) =>
  Object.fromEntries([...headers].filter(([name]) => !TRANSPORT.has(name)).sort());

describe('what API Gateway makes of a Lambda result', () => {
  it('drops undefined and empty values, joins lists, turns cookies into Set-Cookie, defaults to 200 JSON', () => {
    const answer = apiGatewayResponse({
      statusCode: 201,
      headers: {
        Server: undefined as never,
        'Reporting-Endpoints': '',
        Vary: ['origin', 'accept'] as never,
        ETag: '"1"',
      },
      cookies: ['a=1', 'b=2'],
      body: '{}',
    });
    expect(answer.status).toBe(201);
    expect(answer.headers).toEqual([
      ['vary', 'origin,accept'],
      ['etag', '"1"'],
      ['set-cookie', 'a=1'],
      ['set-cookie', 'b=2'],
    ]);
    expect(apiGatewayResponse('{"a":1}')).toEqual({
      status: 200,
      headers: [['content-type', 'application/json']],
      body: Buffer.from('{"a":1}'),
    });
  });
});

describe('the local server answers with those headers', () => {
  const cases: Array<[string, LambdaHttpHandler, string, Record<string, string>]> = [
    ['GET /health', health, '/health', {}],
    ['GET /admin/gateway-types', gatewayTypes, '/admin/gateway-types', {}],
    ['a validation problem', getGateway, '/admin/gateways/not%20an%20id', { gatewayId: 'not an id' }],
  ];
  it.each(cases)(
    '%s: the same headers as the Lambda result means, none empty or undefined',
    async (_, handler, path, params) => {
      const direct = await handler(apiEvent({ pathParameters: params }), {} as never);
      const expected = Object.fromEntries(apiGatewayResponse(direct).headers.sort());
      const local = await server.admin('GET', path);
      expect(fromResult(local.headers)).toEqual(expected);
    },
  );

  it('no response header is empty or "undefined", on any kind of answer', async () => {
    const client = await clientFor(server);
    const answers = [
      await server.call('GET', '/health'),
      await server.call('GET', '/openapi.json'),
      await server.admin('GET', '/admin/gateways'),
      await server.call('GET', '/admin/gateways'),
      await server.call('GET', '/no/such/route'),
      await server.call('GET', '/v1/users/alice/mfa'),
      await client.call('GET', '/v1/users/alice/mfa'),
      await client.call('POST', '/v1/verifications', { phoneNumber: 'nope' }),
    ];
    for (const answer of answers) {
      for (const [name, value] of answer.headers) {
        expect(value.trim(), `${name} on a ${answer.status}`).not.toBe('');
        expect(value, `${name} on a ${answer.status}`).not.toMatch(/^undefined$|^null$/);
      }
    }
    expect(answers[0]!.headers.get('server')).toBeNull();
    expect(answers[0]!.headers.get('x-powered-by')).toBeNull();
  });
});
