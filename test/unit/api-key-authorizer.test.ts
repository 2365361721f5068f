import type { APIGatewayRequestAuthorizerEventV2, Context } from 'aws-lambda';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { handler } from '../../functions/authorizer/api-key.ts';
import { identityOf } from '../../shared/http/client-context.ts';
import { metrics } from '../../shared/observability/powertools.ts';
import { type Services, useServices } from '../../shared/runtime/container.ts';

const context = { functionName: 'authorizer', awsRequestId: 'req-1' } as Context;
const event = (authorization?: string) =>
  ({
    type: 'REQUEST',
    routeArn: 'arn:aws:execute-api:eu-west-1:123456789012:api/$default/GET/v1/users/u/mfa',
    headers: authorization === undefined ? {} : { authorization },
  }) as unknown as APIGatewayRequestAuthorizerEventV2;

function withKeys(authenticate: (header: string | undefined) => Promise<unknown>) {
  useServices(Promise.resolve({ apiKeys: { authenticate } } as unknown as Services));
}

describe('API key authorizer', () => {
  afterEach(() => {
    useServices(undefined);
    vi.restoreAllMocks();
  });

  it('counts a refused key as ApiKeyRefused and passes no identity on', async () => {
    withKeys(async () => undefined);
    const added = vi.spyOn(metrics, 'addMetric');
    const result = await handler(event('Bearer not-a-key'), context);
    expect(result).toEqual({ isAuthorized: true, context: {} });
    expect(added).toHaveBeenCalledWith('ApiKeyRefused', 'Count', 1);
  });

  it('puts the store and key id of a valid key in the context and counts no refusal', async () => {
    withKeys(async (header) => (header === 'Bearer good' ? { storeId: 'ids_1', keyId: 'key_1' } : undefined));
    const added = vi.spyOn(metrics, 'addMetric');
    const result = await handler(event('Bearer good'), context);
    expect(result).toEqual({ isAuthorized: true, context: { storeId: 'ids_1', keyId: 'key_1' } });
    expect(added.mock.calls.map(([name]) => name)).not.toContain('ApiKeyRefused');
  });

  it("carries an application key's application id and policy, so that no route reads them again", async () => {
    const mfaPolicy = { enabled: true, enforcedRoles: ['admin'], identitySources: ['google'] };
    withKeys(async () => ({ storeId: 'ids_1', keyId: 'key_1', application: { id: 'app_1', mfaPolicy } }));
    const result = await handler(event('Bearer good'), context);
    expect(result).toEqual({
      isAuthorized: true,
      context: {
        storeId: 'ids_1',
        keyId: 'key_1',
        applicationId: 'app_1',
        mfaPolicy: JSON.stringify(mfaPolicy),
      },
    });
    expect(identityOf((result as { context: Record<string, string> }).context)).toEqual({
      storeId: 'ids_1',
      keyId: 'key_1',
      application: { id: 'app_1', mfaPolicy },
    });
  });
});
