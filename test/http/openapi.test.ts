import { afterAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/local-server.ts';

const server: TestServer = await startTestServer();
afterAll(() => server.stop());

describe('GET /openapi.json', () => {
  it('serves the OpenAPI document without credentials', async () => {
    const response = await server.call('GET', '/openapi.json');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('application/json');
    expect(response.body.openapi).toBe('3.1.0');
    expect(Object.keys(response.body.paths)).toContain('/v1/challenges/{challengeId}/verify');
  });
});
