import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import type {
  APIGatewayRequestAuthorizerEventV2,
  APIGatewaySimpleAuthorizerWithContextResult,
} from 'aws-lambda';
import { ORIGIN_VERIFY_HEADER } from '../../shared/domain/api-keys/origin-verify.ts';
import { logger, metrics } from '../../shared/observability/powertools.ts';
import { traced } from '../../shared/observability/tracer.ts';
import { powertoolsTelemetry } from '../../shared/observability/powertools-telemetry.ts';
import { clientContext, type ClientContext } from '../../shared/http/client-context.ts';
import { apiKeys, originVerifier } from '../../shared/runtime/wiring/api-keys.ts';
import { reliableTelemetry } from '../../shared/domain/side-effects.ts';

/** A metric that cannot be recorded never turns a verdict into an authorizer error (a 500). */
const telemetry = reliableTelemetry(powertoolsTelemetry);

type Result = APIGatewaySimpleAuthorizerWithContextResult<Partial<ClientContext>>;

/**
 * REQUEST authorizer for `/v1` (simple responses). Unknown keys are let through without an identity
 * so the route answers the contract's 401 problem+json (an HTTP API's own deny is a bare
 * `{"message":"Forbidden"}` 403); only a valid key puts a store id in the context, with the key's
 * application and its policy, so that no send or verify reads the application again. Each refusal counts
 * as ApiKeyRefused, which the refused-key alarm watches.
 *
 * Behind CloudFront, a request without CloudFront's origin-verify header is denied first (API Gateway's
 * bare 403): it reached the API Gateway custom domain directly, around the WAF, and no client that
 * follows the contract calls there. No API key is looked up for it.
 */
export const handler = middy<APIGatewayRequestAuthorizerEventV2, Result>()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(logMetrics(metrics))
  .use(traced())
  .handler(async (event) => {
    const verifier = originVerifier();
    if (verifier && !(await verifier.verifies(event.headers?.[ORIGIN_VERIFY_HEADER]))) {
      logger.warn('origin not verified: request did not come through CloudFront');
      telemetry.count('OriginVerifyRefused');
      return { isAuthorized: false, context: {} };
    }
    const identity = await apiKeys().authenticate(event.headers?.authorization);
    if (!identity) {
      logger.info('api key refused');
      telemetry.count('ApiKeyRefused');
      return { isAuthorized: true, context: {} };
    }
    logger.appendKeys({
      storeId: identity.storeId,
      keyId: identity.keyId,
      ...(identity.application ? { applicationId: identity.application.id } : {}),
    });
    return { isAuthorized: true, context: clientContext(identity) };
  });
