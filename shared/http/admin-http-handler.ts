import type { Operation } from '../operations/operation.ts';
import { httpPipeline, type Handle, type LambdaHttpHandler } from './http-pipeline.ts';

/**
 * An admin route that sends no SMS: the shared chain without the Powertools tracer, whose X-Ray SDK would
 * be about a quarter of the function's bundle. Active tracing still records each invocation (Lambda's own
 * segments); an admin route's trace has no handler subsegment and no subsegments of its DynamoDB and
 * Secrets Manager calls. The routes a sign-in waits on keep both (http-handler.ts, tracer.ts).
 */
export function adminHttpHandler<
  const O extends Operation & { auth: 'admin'; sends?: false; idempotent?: false },
>(operation: O, handle: Handle<O>): LambdaHttpHandler {
  return httpPipeline(operation, handle);
}
