import { PROBLEM_STATUS, type ProblemSlug } from '../../shared/domain/problems.ts';
import { problemsOf, type Operation } from '../../shared/operations/operation.ts';
import type { TestResponse } from './local-server.ts';

/** Problems every route lists but a healthy local server must never answer: they are the 5xx. */
const SERVER_FAULTS: ReadonlySet<ProblemSlug> = new Set(['internal', 'unavailable', 'gateway-error']);

/**
 * Why `response` is not an answer `operation` documents (its success status, or one of its problems
 * with that problem's status and a problem+json body), or undefined when it is. The 5xx problems are
 * never documented here: the local console gateway and DynamoDB Local do not fail.
 */
export function undocumented(operation: Operation, response: TestResponse): string | undefined {
  if (response.status === operation.status) {
    if (operation.status === 204) return response.text === '' ? undefined : '204 with a body';
    return /^application\/json(;|$)/.test(response.headers.get('content-type') ?? '')
      ? undefined
      : `${response.status} is not JSON`;
  }
  if (response.headers.get('content-type') !== 'application/problem+json') {
    return `${response.status} is neither ${operation.id}'s ${operation.status} nor a problem`;
  }
  const slug = /\/([a-z0-9-]+)$/.exec(String(response.body?.type))?.[1] as ProblemSlug | undefined;
  const documented = problemsOf(operation).filter((problem) => !SERVER_FAULTS.has(problem));
  if (slug === undefined || !documented.includes(slug)) {
    return `problem "${String(slug)}" is not one ${operation.id} documents (${documented.join(', ')})`;
  }
  if (PROBLEM_STATUS[slug] !== response.status || response.body.status !== response.status) {
    return `problem "${slug}" came with ${response.status}, api.md gives ${PROBLEM_STATUS[slug]}`;
  }
  return undefined;
}
