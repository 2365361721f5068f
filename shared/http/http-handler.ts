import middy from '@middy/core';
import httpEventNormalizer from '@middy/http-event-normalizer';
import httpHeaderNormalizer from '@middy/http-header-normalizer';
import httpJsonBodyParser from '@middy/http-json-body-parser';
import httpSecurityHeaders from '@middy/http-security-headers';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { correlationPaths } from '@aws-lambda-powertools/logger/correlationId';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2, Context } from 'aws-lambda';
import type { z } from 'zod';
import { logger, metrics, tracer } from '../observability/powertools.ts';
import {
  bodySizeLimit,
  emptyBodyAsObject,
  problemDetails,
  requireClient,
  zodValidator,
  type ClientIdentity,
  type RequestSchemas,
} from './middlewares.ts';
import type { HttpResult } from './responses.ts';

export type { ClientIdentity } from './middlewares.ts';

type Parsed<S, K extends keyof RequestSchemas> = S extends { [P in K]: z.ZodType }
  ? z.output<S[K]>
  : undefined;

export interface HttpRequest<S extends RequestSchemas> {
  body: Parsed<S, 'body'>;
  query: Parsed<S, 'query'>;
  params: Parsed<S, 'params'>;
  /** Lower-cased names. */
  headers: Record<string, string | undefined>;
  event: APIGatewayProxyEventV2;
}

export type LambdaHttpHandler = (
  event: APIGatewayProxyEventV2,
  context: Context,
) => Promise<APIGatewayProxyResultV2>;

type Event = APIGatewayProxyEventV2 & { client?: ClientIdentity };

function chain<S extends RequestSchemas>(
  schemas: S,
  clientRoute: boolean,
  handle: (request: HttpRequest<S>, client: ClientIdentity | undefined) => Promise<HttpResult>,
): LambdaHttpHandler {
  const pipeline = middy<Event, APIGatewayProxyResultV2>()
    .use(
      injectLambdaContext(logger, { correlationIdPath: correlationPaths.API_GATEWAY_HTTP, resetKeys: true }),
    )
    .use(logMetrics(metrics, { captureColdStartMetric: true }))
    .use(captureLambdaHandler(tracer, { captureResponse: false }))
    .use(httpEventNormalizer())
    .use(httpHeaderNormalizer())
    .use(httpSecurityHeaders())
    .use(problemDetails())
    .use(bodySizeLimit());
  // Credentials are judged before the input: a caller without a valid key learns nothing about validation.
  if (clientRoute) pipeline.use(requireClient());
  if (schemas.body) {
    // Parse JSON whatever the content type says: `curl -d` sends form encoding by default.
    const parserOptions = { disableContentTypeCheck: true } as Parameters<typeof httpJsonBodyParser>[0];
    pipeline.use(emptyBodyAsObject()).use(httpJsonBodyParser(parserOptions));
  }
  return pipeline.use(zodValidator(schemas)).handler(async (event) =>
    handle(
      {
        body: event.body as Parsed<S, 'body'>,
        query: event.queryStringParameters as Parsed<S, 'query'>,
        params: event.pathParameters as Parsed<S, 'params'>,
        headers: event.headers,
        event,
      },
      event.client,
    ),
  ) as unknown as LambdaHttpHandler;
}

/**
 * The middy chain every HTTP route shares. Handlers get validated input and return a response;
 * errors they throw become problem+json in one place.
 */
export function httpHandler<S extends RequestSchemas>(
  schemas: S,
  handle: (request: HttpRequest<S>) => Promise<HttpResult>,
): LambdaHttpHandler {
  return chain(schemas, false, (request) => handle(request));
}

/** A `/v1` route: the same chain, plus the client identity the API key authorizer established. */
export function clientHttpHandler<S extends RequestSchemas>(
  schemas: S,
  handle: (request: HttpRequest<S>, client: ClientIdentity) => Promise<HttpResult>,
): LambdaHttpHandler {
  return chain(schemas, true, (request, client) => handle(request, client as ClientIdentity));
}
