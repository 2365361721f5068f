import type { Operation } from '../operations/operation.ts';
import { traced } from '../observability/tracer.ts';
import { userRefKey } from './user-ref-key.ts';
import { httpPipeline, type Around, type Handle, type LambdaHttpHandler } from './http-pipeline.ts';

export type {
  Around,
  ClientIdentity,
  Handle,
  HttpRequest,
  LambdaHttpHandler,
  Reply,
} from './http-pipeline.ts';

/**
 * The shared chain (http-pipeline.ts) with the tracer: the `/v1` routes, verify, receipts, hooks, health;
 * a request that names a user logs its `userRef` (user-ref-key.ts).
 */
export function buildHttpHandler<O extends Operation>(
  operation: O,
  handle: Handle<O>,
  around?: Around<O>,
): LambdaHttpHandler {
  return httpPipeline(operation, handle, {
    ...(around ? { around } : {}),
    tracing: traced(),
    namedUser: userRefKey(),
  });
}

/** A route that sends no SMS. Sending routes use `sendingHttpHandler`, which brings the provider adapters. */
export function httpHandler<const O extends Operation & { sends?: false; idempotent?: false }>(
  operation: O,
  handle: Handle<O>,
): LambdaHttpHandler {
  return buildHttpHandler(operation, handle);
}
