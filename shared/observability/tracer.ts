import { Tracer } from '@aws-lambda-powertools/tracer';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import { serviceName } from './powertools.ts';

/**
 * The Powertools tracer (the X-Ray SDK under it: about 115 KiB of every bundle that has it). Every
 * function runs with active tracing, so Lambda records each invocation's own segments without it.
 * Constructed, the tracer traces the function's outgoing HTTPS calls (the AWS SDK's included) as
 * subsegments; its middleware (`traced`) adds the handler's subsegment with its cold-start annotation.
 * The hot path, health, the workers and the other `/v1` routes keep it; the admin routes
 * (shared/http/admin-http-handler.ts) go without.
 */
export const tracer = new Tracer({ serviceName });

/** The handler's subsegment, as every traced function records it. */
export const traced = () => captureLambdaHandler(tracer, { captureResponse: false });
