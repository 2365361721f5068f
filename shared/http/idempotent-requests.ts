import { createHash } from 'node:crypto';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { ValidationFailed } from '../domain/errors.ts';
import type { Idempotency } from '../domain/idempotency.ts';

export const IDEMPOTENCY_KEY_MAX_CHARACTERS = 64;
export const REPLAYED_HEADER = 'idempotent-replayed';

/** api.md: any string up to 64 characters; an empty header is no key at all. */
export function idempotencyKey(headers: Record<string, string | undefined>): string | undefined {
  const key = headers['idempotency-key'];
  if (key === undefined || key === '') return undefined;
  if ([...key].length > IDEMPOTENCY_KEY_MAX_CHARACTERS) {
    throw new ValidationFailed([
      {
        path: 'header.idempotency-key',
        message: `must be at most ${IDEMPOTENCY_KEY_MAX_CHARACTERS} characters`,
      },
    ]);
  }
  return key;
}

/**
 * A key replays only the same request: same route, path, query and body as parsed (so key order does
 * not matter). `clientIp` is the end user's address as the client app saw it, which may differ
 * between retries of one sign-in; api.md leaves it out of the comparison.
 */
export function requestFingerprint(
  operationId: string,
  params: unknown,
  query: unknown,
  body: unknown,
): string {
  const { clientIp: _ignored, ...compared } =
    typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : { body };
  return createHash('sha256')
    .update(JSON.stringify([operationId, params ?? null, query ?? null, compared]))
    .digest('base64url');
}

/** Runs `respond` under the key, or replays the answer stored for it byte for byte. */
export async function idempotentAnswer(
  idempotency: Idempotency,
  storeId: string,
  key: string | undefined,
  fingerprint: string,
  respond: () => Promise<APIGatewayProxyStructuredResultV2>,
): Promise<APIGatewayProxyStructuredResultV2> {
  const { response, replayed } = await idempotency.run(storeId, key, fingerprint, async () => {
    const result = await respond();
    return {
      status: result.statusCode ?? 200,
      headers: Object.fromEntries(Object.entries(result.headers ?? {}).map(([n, v]) => [n, String(v)])),
      body: result.body ?? '',
    };
  });
  return {
    statusCode: response.status,
    headers: { ...response.headers, ...(replayed ? { [REPLAYED_HEADER]: 'true' } : {}) },
    body: response.body,
  };
}
