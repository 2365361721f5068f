import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { PROBLEM_STATUS, type ProblemSlug } from '../domain/problems.ts';
import { problemsOf, type Operation } from '../operations/operation.ts';
import { jsonOrUndefined } from './json-text.ts';

/**
 * What is wrong with an answer, judged by its operation object: a status or problem slug the operation
 * does not declare, or a success body its response schema does not parse. Empty when it conforms.
 */
export function contractViolations(
  operation: Operation,
  result: APIGatewayProxyStructuredResultV2,
): string[] {
  const status = result.statusCode ?? 200;
  const contentType = String(result.headers?.['content-type'] ?? '');
  if (status === operation.status) {
    if (!operation.response) return [];
    const parsed = operation.response.safeParse(jsonOrUndefined(result.body));
    return parsed.success
      ? []
      : parsed.error.issues.map(
          (issue) => `${operation.id}: response ${issue.path.join('.') || '(body)'}: ${issue.message}`,
        );
  }
  if (!contentType.startsWith('application/problem+json')) {
    return [`${operation.id}: status ${status} is not the declared ${operation.status} nor a problem`];
  }
  const type = String((jsonOrUndefined(result.body) as { type?: unknown } | undefined)?.type ?? '');
  const slug = type.slice(type.lastIndexOf('/') + 1) as ProblemSlug;
  if (!problemsOf(operation).includes(slug)) return [`${operation.id}: undeclared problem ${slug || type}`];
  if (PROBLEM_STATUS[slug] !== status && !(operation.problemsAs500 && status === 500))
    return [`${operation.id}: problem ${slug} answered with ${status}`];
  return [];
}

/** Tests (and local runs that ask for it) set CONTRACT_CHECKS=strict; deployed functions skip the parse. */
export const contractChecksOn = (): boolean => process.env.CONTRACT_CHECKS === 'strict';
