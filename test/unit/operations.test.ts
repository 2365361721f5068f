import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../local/local-stack.ts';
import { NotFound, PhoneNotAllowed } from '../../shared/domain/errors.ts';
import { PROBLEM_STATUS } from '../../shared/domain/problems.ts';
import { contractViolations } from '../../shared/http/contract-check.ts';
import { httpHandler, type LambdaHttpHandler } from '../../shared/http/http-handler.ts';
import { getGateway } from '../../shared/operations/gateways.ts';
import { health } from '../../shared/operations/service.ts';
import { problemsOf } from '../../shared/operations/operation.ts';
import { routes } from '../../shared/routes.ts';
import { invoke } from '../support/api-event.ts';

describe('operation objects', () => {
  it('each route is served by a handler built from its own operation; only sending operations get sms:send', async () => {
    for (const route of routes) {
      const module = (await import(pathToFileURL(resolve(PROJECT_ROOT, route.handler)).href)) as {
        handler: LambdaHttpHandler;
      };
      expect(module.handler.operation, route.id).toBe(route.operation);
      expect(route.access.includes('sms:send'), route.id).toBe(route.operation.sends === true);
      if (route.operation.idempotent) expect(route.operation.sends, route.id).toBe(true);
    }
    expect(new Set(routes.map((r) => r.id)).size).toBe(routes.length);
    expect(new Set(routes.map((r) => `${r.method} ${r.path}`)).size).toBe(routes.length);
  });

  it('declare only known problem slugs, with the shared ones added by kind', () => {
    for (const route of routes) {
      const slugs = problemsOf(route.operation);
      for (const slug of slugs) expect(PROBLEM_STATUS[slug], `${route.id}: ${slug}`).toBeDefined();
      expect(slugs).toContain('internal');
      expect(slugs.includes('unauthorized'), route.id).toBe(route.auth !== 'none');
    }
  });
});

describe('the contract check (CONTRACT_CHECKS=strict, as in every test run)', () => {
  it('passes a conforming answer', async () => {
    const handler = httpHandler(health, async () => ({ body: { status: 'ok' as const } }));
    expect(await invoke(handler)).toMatchObject({ status: 200, body: { status: 'ok' } });
  });

  it('fails an answer its response schema does not parse', async () => {
    const handler = httpHandler(health, async () => ({ body: { status: 'ok', extra: 1 } }) as never);
    const answer = await invoke(handler);
    expect(answer.status).toBe(500);
    expect(answer.body.detail).toMatch(/health: response/);
  });

  it('fails a problem slug the operation does not declare', async () => {
    const handler = httpHandler(getGateway, async () => {
      throw new PhoneNotAllowed('not this route');
    });
    const answer = await invoke(handler, { pathParameters: { gatewayId: 'gw_x' } });
    expect(answer.status).toBe(500);
    expect(answer.body.detail).toMatch(/undeclared problem phone-not-allowed/);
    const declared = httpHandler(getGateway, async () => {
      throw new NotFound('The gateway');
    });
    expect((await invoke(declared, { pathParameters: { gatewayId: 'gw_x' } })).status).toBe(404);
  });

  it('fails a status the operation does not declare', () => {
    const violations = contractViolations(health, {
      statusCode: 201,
      headers: { 'content-type': 'application/json' },
      body: '{"status":"ok"}',
    });
    expect(violations).toEqual(['health: status 201 is not the declared 200 nor a problem']);
    expect(
      contractViolations(getGateway, {
        statusCode: 410,
        headers: { 'content-type': 'application/problem+json' },
        body: JSON.stringify({ type: 'https://x/problems/not-found', status: 410 }),
      }),
    ).toEqual(['gateways-get: problem not-found answered with 410']);
  });
});
