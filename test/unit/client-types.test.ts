import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createSmsMfaClient } from '../../client/src/index.ts';
import { CLIENT_TYPES_FILE, clientTypesSource } from '../../local/client-types.ts';
import { PROJECT_ROOT } from '../../local/local-stack.ts';

describe('@sms-mfa/client types', () => {
  it('are those generated from the committed openapi.json (run `npm run openapi` after an API change)', async () => {
    const document = JSON.parse(await readFile(join(PROJECT_ROOT, 'openapi.json'), 'utf8'));
    const committed = await readFile(CLIENT_TYPES_FILE, 'utf8');
    expect(committed === (await clientTypesSource(document)), 'client/src/openapi-types.ts is stale').toBe(
      true,
    );
  });

  it('change when the document changes', async () => {
    const document = JSON.parse(await readFile(join(PROJECT_ROOT, 'openapi.json'), 'utf8'));
    const before = await clientTypesSource(document);
    document.components.schemas.Challenge.properties.renamedField = { type: 'string' };
    expect(await clientTypesSource(document)).not.toBe(before);
  });

  it('sets Authorization from the API key or the admin token, and refuses both at once', async () => {
    const seen: Request[] = [];
    const fetch = async (request: Request) => {
      seen.push(request);
      return new Response('{"status":"ok"}', { headers: { 'content-type': 'application/json' } });
    };
    await createSmsMfaClient({ baseUrl: 'http://api.test/stage/', apiKey: 'smk_1', fetch }).GET('/health');
    await createSmsMfaClient({ baseUrl: 'http://api.test', adminToken: 'tok', fetch }).GET('/admin/gateways');
    await createSmsMfaClient({ baseUrl: 'http://api.test', fetch }).GET('/health');
    expect(seen.map((r) => [r.url, r.headers.get('authorization')])).toEqual([
      ['http://api.test/stage/health', 'Bearer smk_1'],
      ['http://api.test/admin/gateways', 'Bearer tok'],
      ['http://api.test/health', null],
    ]);
    expect(() => createSmsMfaClient({ baseUrl: 'http://api.test', apiKey: 'a', adminToken: 'b' })).toThrow(
      /not both/,
    );
  });

  it('answers a problem as the typed error, with the status on the response', async () => {
    const problem = { type: 'https://sms-mfa.dev/problems/invalid-code', title: 'Wrong code', status: 422 };
    const client = createSmsMfaClient({
      baseUrl: 'http://api.test',
      apiKey: 'k',
      fetch: async () =>
        new Response(JSON.stringify(problem), {
          status: 422,
          headers: { 'content-type': 'application/problem+json' },
        }),
    });
    const answer = await client.POST('/v1/challenges/{challengeId}/verify', {
      params: { path: { challengeId: 'ch_1' } },
      body: { code: '123456' },
    });
    expect(answer.data).toBeUndefined();
    expect(answer.error?.type).toBe(problem.type);
    expect(answer.response.status).toBe(422);
  });

  it('sends the idempotency key and encodes user ids in paths', async () => {
    let request: Request | undefined;
    const client = createSmsMfaClient({
      baseUrl: 'http://api.test',
      apiKey: 'k',
      fetch: async (sent) => {
        request = sent;
        return new Response(null, { status: 500 });
      },
    });
    await client.PUT('/v1/users/{userId}/sms-factor', {
      params: { path: { userId: '+44 7400/1' }, header: { 'idempotency-key': 'retry-1' } },
      body: { phoneNumber: '+447400123456' },
    });
    expect(request?.url).toBe('http://api.test/v1/users/%2B44%207400%2F1/sms-factor');
    expect(request?.headers.get('idempotency-key')).toBe('retry-1');
    expect(request?.headers.get('content-type')).toBe('application/json');
    expect(await request?.json()).toEqual({ phoneNumber: '+447400123456' });
  });

  it('makes a misspelt body field or an unknown path a type error (checked by tsc)', () => {
    const client = createSmsMfaClient({ baseUrl: 'http://api.test', apiKey: 'k' });
    // Never called: tsc checks these lines, and fails if an expected error disappears.
    const calls = () => [
      client.PUT('/v1/users/{userId}/sms-factor', {
        params: { path: { userId: 'u' } },
        // @ts-expect-error -- phoneNumbr is not a field of the enrollment body
        body: { phoneNumbr: '+447400123456' },
      }),
      // @ts-expect-error -- no such path
      client.GET('/admin/gateway/{gatewayId}', { params: { path: { gatewayId: 'g' } } }),
    ];
    expect(typeof calls).toBe('function');
  });
});
