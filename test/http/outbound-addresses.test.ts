import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDocumentClient } from '../../shared/adapters/dynamodb/document-client.ts';
import { gatewayKey } from '../../shared/adapters/dynamodb/gateway-table.ts';
import { startFakeProvider, type FakeProvider } from '../support/fake-provider.ts';
import { startTestServer, type TestServer } from '../support/local-server.ts';
import { errorPaths, expectProblem } from '../support/problems.ts';

let server: TestServer;
let provider: FakeProvider;
beforeAll(async () => {
  [server, provider] = await Promise.all([startTestServer(), startFakeProvider()]);
});
afterAll(async () => {
  await Promise.all([server.stop(), provider.close()]);
});

const custom = (name: string, extra: Record<string, unknown>) =>
  server.admin('POST', '/admin/gateways', {
    name,
    type: 'custom-http',
    url: 'https://sms.example.com/send',
    ...extra,
  });

describe('outbound addresses over HTTP (local mode: the deployed rules, loopback allowed)', () => {
  it('refuses gateway URLs into internal ranges, after WHATWG parsing', async () => {
    const urls = [
      'https://169.254.169.254/latest/meta-data',
      'https://10.0.0.5/send',
      'https://172.16.0.1/send',
      'https://192.168.0.10/send',
      'https://100.64.1.1/send',
      'https://0.0.0.0/send',
      'https://[fd00::1]/send',
      'https://[fe80::1]/send',
      'https://[::ffff:10.0.0.5]/send',
      'https://[64:ff9b::a9fe:a9fe]/send',
      'https://[2002:a00:1::]/send',
      'https://0xa9fea9fe/send',
      'https://10.1/send',
      'https://224.0.0.1/send',
    ];
    for (const [i, url] of urls.entries()) {
      const refused = await custom(`Internal ${i}`, { url });
      expectProblem(refused, 400, 'validation-failed');
      expect(errorPaths(refused), url).toEqual(['url']);
    }
    // Loopback is what local mode adds: the fake providers live there.
    expect((await custom('Loopback', { url: `${provider.url}/send` })).status).toBe(201);
  });

  it('refuses internal proxy hosts, at create and at PATCH', async () => {
    for (const [i, host] of ['10.0.0.5', '169.254.169.254', 'fd00::2', '::ffff:192.168.1.1'].entries()) {
      const refused = await custom(`Proxy ${i}`, { proxy: { host, port: 3128 } });
      expectProblem(refused, 400, 'validation-failed');
      expect(errorPaths(refused), host).toEqual(['proxy.host']);
    }
    const created = await custom('Proxy by name', { proxy: { host: 'proxy.corp.example', port: 3128 } });
    expect(created.status, created.text).toBe(201);
    const moved = await server.admin('PATCH', `/admin/gateways/${created.body.id}`, {
      proxy: { host: '10.9.9.9' },
    });
    expect(errorPaths(moved)).toEqual(['proxy.host']);
  });

  it('refuses at connect time too: a stored internal URL fails as a gateway error, nothing connects', async () => {
    const created = await custom('Stored before the guard', { url: `${provider.url}/send` });
    expect(created.status, created.text).toBe(201);
    // As if written by an older version: straight into the table, past validation.
    const documents = createDocumentClient({ endpoint: server.dynamoDbEndpoint });
    await documents.send(
      new UpdateCommand({
        TableName: server.tableName,
        Key: gatewayKey(created.body.id),
        UpdateExpression: 'SET #url = :url',
        ExpressionAttributeNames: { '#url': 'url' },
        ExpressionAttributeValues: { ':url': 'https://169.254.169.254/latest/meta-data' },
      }),
    );
    documents.destroy();
    const before = provider.requests.length;
    const sent = await server.admin('POST', `/admin/gateways/${created.body.id}/test`, {
      phoneNumber: '+447400123456',
    });
    expectProblem(sent, 502, 'gateway-error');
    expect(provider.requests.length).toBe(before);
  });
});
