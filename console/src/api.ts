import { createSmsMfaClient, isProblem } from '../../client/src/index.ts';

export { operationPaths as op } from '../../client/src/index.ts';
import { forgetToken, storedToken } from './token.ts';
import type { Problem } from './types.ts';

/** A non-2xx answer (or no answer) as a problem, so that every failure is shown the same way. */
export class ProblemError extends Error {
  constructor(readonly problem: Problem) {
    super(problem.detail ?? problem.title);
  }
}

export const slugOf = (problem: Problem): string => problem.type.split('/').pop() ?? '';

let onSignedOut: () => void = () => undefined;
/** Called when the API refuses the token: the page shows its sign-in again. */
export function whenSignedOut(listener: () => void): void {
  onSignedOut = listener;
}

/** Each request with the token stored now (it changes on sign-in), never cached, cookies or referrer. */
function send(request: Request): Promise<Response> {
  const headers = new Headers(request.headers);
  const token = storedToken();
  if (token) headers.set('authorization', `Bearer ${token}`);
  return fetch(
    new Request(request, { headers, cache: 'no-store', credentials: 'omit', referrerPolicy: 'no-referrer' }),
  );
}

/** The admin API, typed by openapi.json: a path or field that drifts from the contract fails tsc. */
export const admin = createSmsMfaClient({ baseUrl: location.origin, fetch: send });

/** The answer's data, or a `ProblemError` (a 401 signs the page out). */
export async function answer<T>(
  call: Promise<{ data?: T; error?: unknown; response: Response }>,
): Promise<T> {
  let result: Awaited<typeof call>;
  try {
    result = await call;
  } catch {
    throw new ProblemError({
      type: 'about:blank',
      title: 'No answer',
      status: 0,
      detail: 'The admin API did not answer. Is the server still running?',
    });
  }
  const { data, error, response } = result;
  if (response.ok) return data as T;
  const problem: Problem = isProblem(error)
    ? error
    : { type: 'about:blank', title: response.statusText || 'Error', status: response.status };
  if (response.status === 401) {
    forgetToken();
    onSignedOut();
  }
  throw new ProblemError(problem);
}

/** Every page of a list, `page` reading one from a `nextToken`. */
export async function everyPage<T>(
  page: (
    nextToken: string | undefined,
  ) => Promise<{ data?: { items: T[]; nextToken?: string }; error?: unknown; response: Response }>,
): Promise<T[]> {
  const items: T[] = [];
  let nextToken: string | undefined;
  do {
    const answered = await answer(page(nextToken));
    items.push(...answered.items);
    nextToken = answered.nextToken;
  } while (nextToken);
  return items;
}

export const segment = encodeURIComponent;

/** `If-Match` for a write of the version read. */
export const ifMatch = (version: number) => ({ 'if-match': `"${version}"` });
