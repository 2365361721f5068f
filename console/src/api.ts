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

async function request<T>(method: string, path: string, body?: unknown, version?: number): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json, application/problem+json' };
  const token = storedToken();
  if (token) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (version !== undefined) headers['if-match'] = `"${version}"`;
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      cache: 'no-store',
      credentials: 'omit',
      referrerPolicy: 'no-referrer',
    });
  } catch {
    throw new ProblemError({
      type: 'about:blank',
      title: 'No answer',
      status: 0,
      detail: 'The admin API did not answer. Is the server still running?',
    });
  }
  const text = await response.text();
  if (response.ok) return (text ? JSON.parse(text) : undefined) as T;
  let problem: Problem;
  try {
    problem = JSON.parse(text) as Problem;
    if (typeof problem.title !== 'string') throw new Error('not a problem');
  } catch {
    problem = { type: 'about:blank', title: response.statusText || 'Error', status: response.status };
  }
  if (response.status === 401) {
    forgetToken();
    onSignedOut();
  }
  throw new ProblemError(problem);
}

export const api = {
  get: <T>(path: string) => request<T>('GET', path),
  post: <T>(path: string, body: unknown) => request<T>('POST', path, body),
  patch: <T>(path: string, body: unknown, version: number) => request<T>('PATCH', path, body, version),
  delete: (path: string) => request<void>('DELETE', path),
  /** Every page of a list. */
  async list<T>(path: string): Promise<T[]> {
    const items: T[] = [];
    let nextToken: string | undefined;
    do {
      const query = `?limit=100${nextToken ? `&nextToken=${encodeURIComponent(nextToken)}` : ''}`;
      const page = await request<{ items: T[]; nextToken?: string }>('GET', `${path}${query}`);
      items.push(...page.items);
      nextToken = page.nextToken;
    } while (nextToken);
    return items;
  },
};

export const segment = encodeURIComponent;
