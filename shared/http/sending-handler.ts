import type { Operation } from '../operations/operation.ts';
import { idempotency } from '../runtime/wiring/idempotency.ts';
import { buildHttpHandler, type Handle, type LambdaHttpHandler } from './http-handler.ts';
import { idempotencyKey, idempotentAnswer, requestFingerprint } from './idempotent-requests.ts';

/**
 * A route whose operation sends SMS: the provider adapters come with this module (and only into the
 * bundles of functions that send), and `Idempotency-Key` is honoured when the operation says so.
 */
export function sendingHttpHandler<const O extends Operation & { sends: true }>(
  operation: O,
  handle: Handle<O>,
): LambdaHttpHandler {
  if (!operation.idempotent) return buildHttpHandler(operation, handle);
  return buildHttpHandler(operation, handle, async (request, client, respond) => {
    const key = idempotencyKey(request.headers);
    if (key === undefined) return respond();
    // Idempotent operations are client routes: the key is scoped to the caller's identity store.
    const storeId = (client as unknown as { storeId: string }).storeId;
    const fingerprint = requestFingerprint(operation.id, request.params, request.query, request.body);
    return idempotentAnswer(idempotency(), storeId, key, fingerprint, respond);
  });
}
