import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { DomainError } from '../domain/errors.ts';

const typeBase = () => process.env.PROBLEM_TYPE_BASE_URL ?? 'https://sms-mfa.invalid/problems/';

/** RFC 9457 problem details. `type` ends with the api.md slug that clients switch on. */
export function problemResponse(
  slug: string,
  status: number,
  title: string,
  detail: string,
  extensions: Record<string, unknown> = {},
  headers: Record<string, string> = {},
): APIGatewayProxyStructuredResultV2 {
  return {
    statusCode: status,
    headers: { 'content-type': 'application/problem+json', 'cache-control': 'no-store', ...headers },
    body: JSON.stringify({ type: `${typeBase()}${slug}`, title, status, detail, ...extensions }),
  };
}

export function domainProblem(error: DomainError): APIGatewayProxyStructuredResultV2 {
  return problemResponse(
    error.slug,
    error.status,
    error.title,
    error.message,
    error.extensions,
    error.headers,
  );
}

export const internalProblem = (): APIGatewayProxyStructuredResultV2 =>
  problemResponse(
    'internal',
    500,
    'Internal error',
    'The request could not be completed. It was logged; retry later.',
  );
