import { identityOf, type ClientContext } from './client-context.ts';
import type middy from '@middy/core';
import type {
  APIGatewayProxyEventV2,
  APIGatewayProxyResultV2,
  APIGatewayProxyStructuredResultV2,
} from 'aws-lambda';
import type { z } from 'zod';
import {
  DomainError,
  PayloadTooLarge,
  UnsupportedMediaType,
  Unauthorized,
  Unavailable,
  ValidationFailed,
  type FieldError,
} from '../domain/errors.ts';
import { logger } from '../observability/powertools.ts';
import { isDependencyUnavailable } from './dependency-errors.ts';
import { domainProblem, internalProblem } from './problem.ts';

type Middleware = middy.MiddlewareObj<APIGatewayProxyEventV2, APIGatewayProxyResultV2>;

export const BODY_LIMIT_BYTES = 16 * 1024;

/** Refuses bodies over the limit before anything parses them. */
export function bodySizeLimit(limitBytes = BODY_LIMIT_BYTES): Middleware {
  return {
    before: ({ event }) => {
      if (typeof event.body !== 'string') return;
      const size = event.isBase64Encoded
        ? Buffer.byteLength(event.body, 'base64')
        : Buffer.byteLength(event.body);
      if (size > limitBytes) throw new PayloadTooLarge(limitBytes);
    },
  };
}

/** `application/json` or a `+json` type; parameters such as `charset=utf-8` do not matter. */
const JSON_MEDIA_TYPE = /^application\/(?:json|[\w.!#$&^-]+\+json)$/;

/**
 * api.md "Wave 3: exact rules": a body is present when it has bytes (`Content-Length` > 0, or chunked);
 * such a body must be JSON by its `Content-Type`, else 415. An absent or empty body needs no type.
 */
export function jsonMediaType(): Middleware {
  return {
    before: ({ event }) => {
      const length = Number(event.headers['content-length'] ?? 0);
      const chunked = /\bchunked\b/i.test(event.headers['transfer-encoding'] ?? '');
      const present = (typeof event.body === 'string' && event.body.length > 0) || length > 0 || chunked;
      if (!present) return;
      const type = (event.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
      if (!JSON_MEDIA_TYPE.test(type)) throw new UnsupportedMediaType();
    },
  };
}

/** An absent body is an empty object, so a missing field is reported as such rather than as bad JSON. */
export function emptyBodyAsObject(): Middleware {
  return {
    before: ({ event }) => {
      if (event.body === undefined || event.body === null || event.body === '') event.body = '{}';
    },
  };
}

/** Set by the API key authorizer (deployed) or by the local server running the same authorizer code. */
export type { ClientIdentity } from './client-context.ts';

/**
 * `/v1` routes: without an identity in the authorizer context the key was missing, malformed, wrong or
 * revoked. The authorizer lets such requests through so that the answer is a 401 problem+json
 * (API Gateway's own refusal would be a bare 403).
 */
export function requireClient(): Middleware {
  return {
    before: ({ event }) => {
      const context = (event.requestContext as { authorizer?: { lambda?: Partial<ClientContext> } })
        .authorizer?.lambda;
      const client = identityOf(context);
      if (!client) throw new Unauthorized('A valid API key is required: Authorization: Bearer <api key>.');
      Object.assign(event, { client });
    },
  };
}

export interface RequestSchemas {
  body?: z.ZodType;
  query?: z.ZodType;
  params?: z.ZodType;
}

/** zod validation of path, query and body; every failing field is reported, not only the first. */
export function zodValidator(schemas: RequestSchemas): Middleware {
  return {
    before: ({ event }) => {
      const errors: FieldError[] = [];
      const check = (schema: z.ZodType | undefined, value: unknown, prefix: string) => {
        if (!schema) return value;
        const result = schema.safeParse(value);
        if (result.success) return result.data;
        errors.push(...fieldErrors(result.error, prefix, value));
        return value;
      };
      const params = check(schemas.params, event.pathParameters ?? {}, 'path.');
      const query = check(schemas.query, event.queryStringParameters ?? {}, 'query.');
      const body = check(schemas.body, event.body, '');
      if (errors.length > 0) throw new ValidationFailed(errors);
      Object.assign(event, { pathParameters: params, queryStringParameters: query, body });
    },
  };
}

/**
 * `input` is what was validated: a field is "required" only when it is really absent there (zod 4 does not
 * put the input on its issues, so a value of the wrong type would otherwise read as missing).
 */
export function fieldErrors(error: z.ZodError, prefix = '', input?: unknown): FieldError[] {
  return error.issues.flatMap((issue) => {
    const at = (path: PropertyKey[]) => prefix + path.map(String).join('.');
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({ path: at([...issue.path, key]), message: 'is not a known field' }));
    }
    const missing = issue.code === 'invalid_type' && valueAt(input, issue.path) === undefined;
    return [{ path: at(issue.path), message: missing ? 'is required' : issue.message }];
  });
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let value = input;
  for (const key of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

interface HttpishError {
  statusCode?: number;
  expose?: boolean;
  message: string;
}

/**
 * The only place errors become responses: domain errors map to their api.md problem, middy's body
 * parser errors to 400, a dependency the SDK gave up on to 503 with Retry-After, and anything else
 * to a bare 500 that leaks nothing (the details go to the log).
 */
export function problemDetails(): Middleware {
  return {
    onError: (request) => {
      request.response = errorResponse(request.error);
    },
  };
}

/** The problem answer to an error (problemDetails' translation; hooks reshape it for their provider). */
export function errorResponse(thrown: unknown): APIGatewayProxyStructuredResultV2 {
  const error = thrown as (Error & HttpishError) | null;
  if (error instanceof DomainError) {
    if (error.status >= 500) logger.warn('request failed', { slug: error.slug, detail: error.message });
    else logger.info('request refused', { slug: error.slug, status: error.status });
    return domainProblem(error);
  }
  if (error?.statusCode === 415 || error?.statusCode === 422) {
    logger.info('request refused', { slug: 'validation-failed', reason: 'body is not JSON' });
    return domainProblem(
      new ValidationFailed(
        [{ path: '', message: 'the body is not valid JSON' }],
        'The body is not valid JSON.',
      ),
    );
  }
  if (isDependencyUnavailable(error)) {
    logger.warn('dependency unavailable', {
      error: error?.name,
      code: (error as { code?: unknown } | null)?.code,
    });
    return domainProblem(new Unavailable());
  }
  logger.error('unexpected error', error ?? 'unknown');
  return internalProblem();
}
