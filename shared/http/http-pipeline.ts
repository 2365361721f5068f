import middy, { type MiddlewareObj } from '@middy/core';
import httpEventNormalizer from '@middy/http-event-normalizer';
import httpHeaderNormalizer from '@middy/http-header-normalizer';
import httpJsonBodyParser from '@middy/http-json-body-parser';
import httpSecurityHeaders from '@middy/http-security-headers';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2, Context } from 'aws-lambda';
import type { z } from 'zod';
import { withArrival, type Arrival } from '../domain/sending/arrival.ts';
import { PROVIDER_BUDGET_MS } from '../domain/sending/deadline.ts';
import { HTTP_API_CORRELATION_PATH, logger, metrics } from '../observability/powertools.ts';
import { systemClock } from '../ports/clock.ts';
import { cryptoRandom } from '../ports/random.ts';
import { auditIntentOf, runAudited, type AuditIntent } from '../domain/audit/audit-scope.ts';
import type { AuditRecord } from '../domain/support/audit-record.ts';
import { takesJsonOnly, type Operation } from '../operations/operation.ts';
import { adminActor, emitAudit, settleEvents } from '../runtime/event-hooks.ts';
import { currentContext } from '../runtime/context-slot.ts';
import { answerBy, deadlinePassed } from './answer-within.ts';
import { contractChecksOn, contractViolations } from './contract-check.ts';
import {
  bodySizeLimit,
  emptyBodyAsObject,
  jsonMediaType,
  problemDetails,
  requireClient,
  zodValidator,
  type ClientIdentity,
} from './middlewares.ts';
import { problemResponse } from './problem.ts';
import type { HttpResult } from './responses.ts';

export type { ClientIdentity } from './middlewares.ts';

type Parsed<O, K extends 'body' | 'query' | 'params'> = O extends { [P in K]: z.ZodType }
  ? z.output<O[K]>
  : undefined;

export interface HttpRequest<O extends Operation> {
  body: Parsed<O, 'body'>;
  query: Parsed<O, 'query'>;
  params: Parsed<O, 'params'>;
  /** Lower-cased names. */
  headers: Record<string, string | undefined>;
  event: APIGatewayProxyEventV2;
}

/** A success answer: the operation fixes the status; the body is what its response schema describes. */
export type Reply<O extends Operation> = O extends { status: 204 }
  ? void
  : {
      body: O extends { response: z.ZodType } ? z.input<O['response']> : unknown;
      headers?: Record<string, string>;
    };

type ClientOf<O extends Operation> = O extends { auth: 'api-key' } ? ClientIdentity : undefined;

export type Handle<O extends Operation> = (request: HttpRequest<O>, client: ClientOf<O>) => Promise<Reply<O>>;

export type LambdaHttpHandler = ((
  event: APIGatewayProxyEventV2,
  context: Context,
) => Promise<APIGatewayProxyResultV2>) & { operation?: Operation };

type Event = APIGatewayProxyEventV2 & { client?: ClientIdentity };

/** Wraps the answer of a validated request; the sending factory puts idempotency here. */
export type Around<O extends Operation> = (
  request: HttpRequest<O>,
  client: ClientOf<O>,
  respond: () => Promise<HttpResult>,
) => Promise<HttpResult>;

function toResult<O extends Operation>(operation: O, reply: Reply<O>): HttpResult {
  if (operation.status === 204) return { statusCode: 204, headers: { 'cache-control': 'no-store' } };
  const { body, headers = {} } = reply as { body: unknown; headers?: Record<string, string> };
  return {
    statusCode: operation.status,
    headers: { 'content-type': 'application/json', 'cache-control': 'no-store', ...headers },
    body: JSON.stringify(body),
  };
}

/**
 * The middy chain every HTTP route shares, configured by the route's operation object: telemetry,
 * header normalisation, the body limit, JSON parsing, zod validation of path, query and body, the
 * client identity on `/v1` routes, and one error middleware that turns errors into problem+json.
 * Handlers get validated input and return the success body. `tracing` is the tracer's middleware where
 * the function is traced (http-handler.ts); the admin routes go without (admin-http-handler.ts).
 */
export function httpPipeline<O extends Operation>(
  operation: O,
  handle: Handle<O>,
  options: {
    around?: Around<O>;
    tracing?: MiddlewareObj;
    namedUser?: MiddlewareObj<Event, APIGatewayProxyResultV2>;
  } = {},
): LambdaHttpHandler {
  const pipeline = middy<Event, APIGatewayProxyResultV2>()
    .use(injectLambdaContext(logger, { correlationIdPath: HTTP_API_CORRELATION_PATH, resetKeys: true }))
    .use(logMetrics(metrics, { captureColdStartMetric: true }));
  if (options.tracing) pipeline.use(options.tracing);
  pipeline
    .use(httpEventNormalizer())
    .use(httpHeaderNormalizer())
    .use(httpSecurityHeaders())
    .use(problemDetails())
    .use(bodySizeLimit(operation.bodyLimitBytes));
  // Credentials are judged before the input: a caller without a valid key learns nothing about validation.
  if (operation.auth === 'api-key') pipeline.use(requireClient());
  // Then the media type (415), then the body itself (400).
  if (takesJsonOnly(operation)) pipeline.use(jsonMediaType());
  if (operation.body) {
    // The type was judged above (`/hooks` and `/callbacks` take what their providers send).
    const parserOptions = { disableContentTypeCheck: true } as Parameters<typeof httpJsonBodyParser>[0];
    pipeline.use(emptyBodyAsObject()).use(httpJsonBodyParser(parserOptions));
  }
  pipeline.use(zodValidator(operation));
  // After validation (the ids it judged), before the handler: the user's log reference (user-ref-key.ts),
  // handed in by the handler kinds whose routes name a user, so that no other admin route bundles it.
  if (options.namedUser) pipeline.use(options.namedUser);
  const inner = pipeline.handler(async (event) => {
    const request: HttpRequest<O> = {
      body: event.body as Parsed<O, 'body'>,
      query: event.queryStringParameters as Parsed<O, 'query'>,
      params: event.pathParameters as Parsed<O, 'params'>,
      headers: event.headers,
      event,
    };
    const client = event.client as ClientOf<O>;
    const answer = async () => toResult(operation, await handle(request, client));
    try {
      const { around } = options;
      const respond = () => (around ? around(request, client, answer) : answer());
      if (!operation.audit) return await respond();
      const intent = auditIntentOf(
        operation.audit,
        (request.params ?? {}) as Record<string, string>,
        adminActor(request.event.requestContext),
      );
      // The adapter write that makes the change adds the audit record to its transaction
      // (adapters/dynamodb/transactions.ts): a refused write leaves no record, and a record that cannot
      // be written stops the write.
      const context = currentContext();
      const { clock = systemClock, random = cryptoRandom } = context ?? {};
      const { result, record } = await runAudited(intent, clock, random, respond);
      if ((result.statusCode ?? 200) < 300) publishAudit(intent, result, record);
      return result;
    } finally {
      // Events are in `events.jsonl` (deployed: on the bus) before the answer that caused them.
      await settleEvents();
    }
  }) as unknown as LambdaHttpHandler;

  // A late answer leaves the chain above while it still runs: it gets the same response headers here.
  const lateAnswer = middy<Event, APIGatewayProxyResultV2>()
    .use(httpSecurityHeaders())
    .handler(async () => deadlinePassed());

  const handler: LambdaHttpHandler = async (event, context) => {
    const answer = () => inner(event, context) as Promise<HttpResult>;
    const late = () => lateAnswer(event, context) as Promise<HttpResult>;
    // A send answers when its provider budget ends whatever it still waits for (the chain's writes too),
    // which leaves the rest of the deadline for the answer to reach the caller on a busy CPU.
    const result = await withArrival(arrivalOf(event), () =>
      operation.sends ? answerBy(PROVIDER_BUDGET_MS, answer, late) : answer(),
    );
    if (!contractChecksOn() || typeof result === 'string') return result;
    const violations = contractViolations(operation, result);
    if (violations.length === 0) return result;
    console.error(`contract violation: ${violations.join('; ')}`);
    return problemResponse('internal', 500, 'Contract violation', violations.join('; '));
  };
  handler.operation = operation;
  return handler;
}

/**
 * API Gateway's `timeEpoch` is wall-clock time, so it is measured against the system clock, never the
 * services' clock (which a local clock offset may shift).
 */
function arrivalOf(event: APIGatewayProxyEventV2): Arrival {
  const at = event.requestContext?.timeEpoch;
  return { at: typeof at === 'number' ? at : systemClock.now().getTime(), clock: systemClock };
}

/**
 * After the answer, the audit event is published (a side path): the record's own id, time and data. A
 * write that committed no record (none of the route's writes is a table transaction) still publishes
 * its event, built as before from the route's ids and the created item's `id`.
 */
function publishAudit(intent: AuditIntent, result: HttpResult, record: AuditRecord | undefined): void {
  if (record) {
    emitAudit(record.type, record.data, { id: record.id, at: record.at });
    return;
  }
  let created: unknown;
  try {
    created = result.body ? (JSON.parse(result.body) as { id?: unknown }).id : undefined;
  } catch {
    created = undefined;
  }
  const subject = intent.ids[intent.subject] ?? (typeof created === 'string' ? created : undefined);
  emitAudit(intent.type, {
    actor: intent.actor,
    ...intent.ids,
    ...(subject ? { [intent.subject]: subject } : {}),
  });
}
