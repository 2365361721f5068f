import { expect } from 'vitest';
import type { TestResponse } from './local-server.ts';

/** Asserts an RFC 9457 answer with the api.md slug and status. */
export function expectProblem(response: TestResponse, status: number, slug: string): void {
  expect(response.status, response.text).toBe(status);
  expect(response.headers.get('content-type')).toBe('application/problem+json');
  expect(response.body.type).toMatch(new RegExp(`/${slug}$`));
  expect(response.body.status).toBe(status);
  expect(typeof response.body.title).toBe('string');
  expect(typeof response.body.detail).toBe('string');
}

export function errorPaths(response: TestResponse): string[] {
  return (response.body.errors as Array<{ path: string }>).map((e) => e.path).sort();
}
