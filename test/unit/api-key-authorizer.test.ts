import type { APIGatewayRequestAuthorizerEventV2, Context } from 'aws-lambda';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { handler } from '../../functions/authorizer/api-key.ts';
import { CachedSecretStore } from '../../shared/adapters/secrets/cached-secret-store.ts';
import { OriginVerifier } from '../../shared/domain/api-keys/origin-verify.ts';
import type { SecretStore, SecretValue } from '../../shared/ports/secret-store.ts';
import { identityOf } from '../../shared/http/client-context.ts';
import { metrics } from '../../shared/observability/powertools.ts';
import type { ApiKeyService } from '../../shared/domain/api-keys/api-key-service.ts';
import { useContext } from '../../shared/runtime/context.ts';
import { unitContext } from '../support/unit-context.ts';
import { apiKeys, originVerifier as originVerifierFeature } from '../../shared/runtime/wiring/api-keys.ts';

const context = { functionName: 'authorizer', awsRequestId: 'req-1' } as Context;
const event = (authorization?: string, originVerify?: string) =>
  ({
    type: 'REQUEST',
    routeArn: 'arn:aws:execute-api:eu-west-1:123456789012:api/$default/GET/v1/users/u/mfa',
    headers: {
      ...(authorization === undefined ? {} : { authorization }),
      ...(originVerify === undefined ? {} : { 'x-origin-verify': originVerify }),
    },
  }) as unknown as APIGatewayRequestAuthorizerEventV2;

function withKeys(
  authenticate: (header: string | undefined) => Promise<unknown>,
  originVerifier?: OriginVerifier,
) {
  const ctx = unitContext();
  apiKeys.provide(ctx, { authenticate } as unknown as ApiKeyService);
  originVerifierFeature.provide(ctx, originVerifier);
  useContext(ctx);
}

/** The origin-verify secret in a counting in-memory store, under the same cache the functions use. */
function originSecret(value: SecretValue | undefined) {
  let reads = 0;
  const inner: SecretStore = {
    get: async (name) => {
      reads++;
      return name === 'origin-verify' ? value : undefined;
    },
    put: async () => undefined,
    delete: async () => undefined,
  };
  return { verifier: new OriginVerifier(new CachedSecretStore(inner), 30), reads: () => reads };
}

const SECRET = 'c2VjcmV0LWZyb20tY2xvdWRmcm9udC1vcmlnaW4taGVhZGVyLXZhbHVl';
const VALID = { storeId: 'ids_1', keyId: 'key_1' };

describe('API key authorizer', () => {
  afterEach(() => {
    useContext(undefined);
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

  describe('behind CloudFront (origin-verify required)', () => {
    it('denies a request without the origin-verify header before any key is looked up', async () => {
      const authenticate = vi.fn(async () => VALID);
      withKeys(authenticate, originSecret({ value: SECRET }).verifier);
      const added = vi.spyOn(metrics, 'addMetric');
      expect(await handler(event('Bearer good'), context)).toEqual({ isAuthorized: false, context: {} });
      expect(authenticate).not.toHaveBeenCalled();
      expect(added).toHaveBeenCalledWith('OriginVerifyRefused', 'Count', 1);
    });

    it.each([
      ['a wrong value', 'x'.repeat(SECRET.length)],
      ['a prefix of the value', SECRET.slice(0, -1)],
      ['the value and more', `${SECRET}x`],
      ['an empty value', ''],
    ])('denies %s', async (_name, header) => {
      const authenticate = vi.fn(async () => VALID);
      withKeys(authenticate, originSecret({ value: SECRET }).verifier);
      expect(await handler(event('Bearer good', header), context)).toEqual({
        isAuthorized: false,
        context: {},
      });
      expect(authenticate).not.toHaveBeenCalled();
    });

    it('authenticates the key of a request with the right header, reading the secret once while cached', async () => {
      const authenticate = vi.fn(async (header: string | undefined) =>
        header === 'Bearer good' ? VALID : undefined,
      );
      const secret = originSecret({ value: SECRET });
      withKeys(authenticate, secret.verifier);
      expect(await handler(event('Bearer good', SECRET), context)).toEqual({
        isAuthorized: true,
        context: VALID,
      });
      // A refused key keeps the contract's answer (401 from the route) once the origin is verified.
      expect(await handler(event('Bearer bad', SECRET), context)).toEqual({
        isAuthorized: true,
        context: {},
      });
      expect(authenticate).toHaveBeenCalledTimes(2);
      expect(secret.reads()).toBe(1);
    });

    it("accepts the previous value during a rotation's overlap", async () => {
      withKeys(async () => VALID, originSecret({ value: 'new-value', previous: SECRET }).verifier);
      expect(await handler(event('Bearer good', SECRET), context)).toMatchObject({ isAuthorized: true });
      expect(await handler(event('Bearer good', 'new-value'), context)).toMatchObject({ isAuthorized: true });
      expect(await handler(event('Bearer good', 'older-value'), context)).toMatchObject({
        isAuthorized: false,
      });
    });

    it('fails closed when the secret holds no value', async () => {
      withKeys(async () => VALID, originSecret(undefined).verifier);
      await expect(handler(event('Bearer good', SECRET), context)).rejects.toThrow(/origin-verify/);
    });
  });

  it('does not check the header when edge protection is off (no verifier: local mode, development stages)', async () => {
    const authenticate = vi.fn(async () => VALID);
    withKeys(authenticate);
    expect(await handler(event('Bearer good'), context)).toEqual({ isAuthorized: true, context: VALID });
    expect(await handler(event('Bearer good', 'anything'), context)).toEqual({
      isAuthorized: true,
      context: VALID,
    });
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
