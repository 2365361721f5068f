import * as z from 'zod';
import {
  createDocument,
  type ZodOpenApiOperationObject,
  type ZodOpenApiPathsObject,
  type ZodOpenApiResponseObject,
} from 'zod-openapi';
import { PROBLEM_STATUS, type ProblemSlug } from '../domain/problems.ts';
import { IDEMPOTENCY_KEY_MAX_CHARACTERS, REPLAYED_HEADER } from '../http/idempotent-requests.ts';
import { problemsOf, type Operation } from '../operations/operation.ts';
import { routes } from '../routes.ts';
import { str } from './bounds.ts';
import { problemSchema } from './response-schemas.ts';

const json = (schema: z.ZodType) => ({ content: { 'application/json': { schema } } });

const retryAfter = {
  'Retry-After': {
    description: 'Seconds to wait before retrying',
    schema: { type: 'integer', format: 'int32', minimum: 1, maximum: 86_400 },
  },
} as const;

/** Why each status can come back, for the description of its answer. */
const STATUS_NOTES: Record<number, string> = {
  401: 'Missing or invalid credentials',
  429: 'Too many requests: a limit of this route, or (deployed) the API stage throttling',
  500: 'Unexpected error; the body leaks nothing',
  503: 'A dependency (DynamoDB, Secrets Manager) is throttled or unreachable',
};

function problemAnswers(operation: Operation): ZodOpenApiOperationObject['responses'] {
  const byStatus = new Map<number, ProblemSlug[]>();
  for (const slug of problemsOf(operation)) {
    const status = PROBLEM_STATUS[slug];
    byStatus.set(status, [...(byStatus.get(status) ?? []), slug]);
  }
  // Deployed, API Gateway's stage throttling can answer 429 on any route.
  if (!byStatus.has(429)) byStatus.set(429, []);
  const answers: Record<string, ZodOpenApiResponseObject> = {};
  for (const [status, slugs] of [...byStatus].sort(([a], [b]) => a - b)) {
    const note = STATUS_NOTES[status];
    const description = [note, slugs.length ? `Problem types: ${slugs.join(', ')}` : undefined]
      .filter(Boolean)
      .join('. ');
    answers[String(status)] = {
      description: description || 'Problem details (RFC 9457)',
      ...(status === 429 || status === 503 ? { headers: retryAfter } : {}),
      content: { 'application/problem+json': { schema: problemSchema } },
    };
  }
  return answers;
}

function requestHeaders(operation: Operation) {
  return z.object({
    ...(operation.ifMatch
      ? { 'if-match': str(64).optional().meta({ description: 'The version read; 409 on mismatch' }) }
      : {}),
    ...(operation.idempotent
      ? {
          'idempotency-key': str(IDEMPOTENCY_KEY_MAX_CHARACTERS)
            .optional()
            .meta({ description: 'Repeats within 10 minutes replay the first answer byte for byte' }),
        }
      : {}),
  });
}

function successAnswer(operation: Operation) {
  const headers = operation.idempotent
    ? {
        headers: {
          'Idempotent-Replayed': {
            description: `\`true\` on a replay of a stored answer (${REPLAYED_HEADER}); absent on the first`,
            schema: { type: 'string', enum: ['true'] },
          },
        },
      }
    : {};
  if (operation.status === 204) return { description: 'Done', ...headers };
  return {
    description: 'Success',
    ...headers,
    ...(operation.response ? json(operation.response) : { content: { 'application/json': {} } }),
  };
}

function describe(operation: Operation): ZodOpenApiOperationObject {
  const withHeaders = operation.ifMatch || operation.idempotent;
  return {
    operationId: operation.id,
    summary: operation.summary,
    description: operation.sends ? `${operation.summary}. Sends an SMS.` : `${operation.summary}.`,
    tags: [
      operation.path.startsWith('/admin') ? 'admin' : operation.path.startsWith('/v1') ? 'client' : 'service',
    ],
    security:
      operation.auth === 'admin'
        ? [{ adminIam: [] }, { adminToken: [] }]
        : operation.auth === 'api-key'
          ? [{ apiKey: [] }]
          : operation.auth === 'hook-secret'
            ? [{ integrationSecret: [] }, { standardWebhooks: [] }]
            : [],
    requestParams: {
      ...(operation.params ? { path: operation.params as z.ZodObject } : {}),
      ...(operation.query ? { query: operation.query as z.ZodObject } : {}),
      ...(withHeaders ? { header: requestHeaders(operation) } : {}),
    },
    ...(operation.body
      ? { requestBody: { required: !mayBeOmitted(operation.body), ...json(operation.body) } }
      : {}),
    responses: { [String(operation.status)]: successAnswer(operation), ...problemAnswers(operation) },
  };
}

/** A body whose every field is optional may be left out: the handler reads an absent body as `{}`. */
function mayBeOmitted(body: z.ZodType): boolean {
  return body.safeParse({}).success;
}

/** The OpenAPI 3.1 document of every route in the route table, from their operation objects. */
export function openApiDocument() {
  const paths: ZodOpenApiPathsObject = {};
  for (const { operation } of routes) {
    paths[operation.path] = {
      ...paths[operation.path],
      [operation.method.toLowerCase()]: describe(operation),
    };
  }
  return createDocument({
    openapi: '3.1.0',
    info: {
      title: 'sms-mfa',
      version: '1.0.0',
      description:
        'SMS multi-factor authentication: admin API for gateways, identity stores and API keys; client API for enrollment, challenges and verification.',
    },
    tags: [
      {
        name: 'admin',
        description: 'Gateways, identity stores and API keys (IAM deployed, admin token locally)',
      },
      {
        name: 'client',
        description: 'Enrollment, challenges and verification (API key of an identity store)',
      },
      { name: 'service', description: 'Health and the API description' },
    ],
    components: {
      securitySchemes: {
        adminIam: {
          type: 'apiKey',
          in: 'header',
          name: 'Authorization',
          description: 'Deployed: AWS SigV4 (IAM) signature for execute-api',
        },
        adminToken: { type: 'http', scheme: 'bearer', description: 'Local mode: the admin token' },
        apiKey: { type: 'http', scheme: 'bearer', description: 'An API key of the identity store' },
        integrationSecret: {
          type: 'http',
          scheme: 'bearer',
          description: 'The secret of an okta, kratos or auth0 integration',
        },
        standardWebhooks: {
          type: 'apiKey',
          in: 'header',
          name: 'webhook-signature',
          description:
            'A supabase integration: Standard Webhooks signature (with webhook-id and webhook-timestamp)',
        },
      },
    },
    paths,
  });
}
