import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { routes } from '../../shared/routes.ts';
import { startTestServer, type TestServer } from '../support/local-server.ts';
import { expectProblem } from '../support/problems.ts';

/**
 * The authorizer lets unknown keys through without an identity (an HTTP API cannot answer its deny
 * with the contract's 401 problem+json), so every /v1 route must refuse them itself, before it reads
 * the input. Derived from the route table: a new /v1 route is covered without editing this file.
 */
const clientRoutes = routes.filter((r) => r.auth === 'api-key');

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.stop());

const concrete = (path: string) => path.replace(/\{[^}]+\}/g, 'x');

describe('every /v1 route refuses a missing or unknown API key', () => {
  it('covers the client routes of the route table', () => {
    expect(clientRoutes.length).toBeGreaterThanOrEqual(7);
    expect(clientRoutes.every((r) => r.path.startsWith('/v1/'))).toBe(true);
  });

  it.each(clientRoutes.map((r) => [`${r.method} ${r.path}`, r] as const))(
    '%s: 401 problem+json for no key, a junk key and a well-formed unknown key, whatever the body',
    async (_name, route) => {
      const path = concrete(route.path);
      // An invalid body: a route that validated before judging the key would answer 400.
      const body = route.method === 'GET' || route.method === 'DELETE' ? undefined : { unexpected: true };
      for (const authorization of [undefined, 'Bearer junk', `Bearer key_unknown.${'A'.repeat(43)}`]) {
        const response = await server.call(route.method, path, {
          ...(body === undefined ? {} : { body }),
          headers: authorization === undefined ? {} : { authorization },
        });
        expectProblem(response, 401, 'unauthorized');
      }
    },
  );
});
