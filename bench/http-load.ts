import { summarize, type LatencySummary } from './stats.ts';
import type { LocalStack } from '../local/local-stack.ts';
import { jsonOrUndefined } from '../shared/http/json-text.ts';

export interface LoadResult<T> {
  latency: LatencySummary;
  /** What each request's task returned, by index. */
  results: T[];
}

/**
 * Runs `count` tasks with at most `concurrency` in flight (a closed loop: each worker starts the next
 * task when its last one ends) and times each with `performance.now()`.
 */
export async function runLoad<T>(
  count: number,
  concurrency: number,
  task: (index: number) => Promise<T>,
): Promise<LoadResult<T>> {
  const latencies: number[] = new Array<number>(count);
  const results: T[] = new Array<T>(count);
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const index = next++;
      const started = performance.now();
      results[index] = await task(index);
      latencies[index] = performance.now() - started;
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  return { latency: summarize(latencies, performance.now() - started), results };
}

export interface JsonResponse {
  status: number;
  body: unknown;
  text: string;
}

/** One JSON request, body read in full (part of the measured time). */
export async function requestJson(
  url: string,
  method: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<JsonResponse> {
  const response = await fetch(url, {
    method,
    headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: jsonOrUndefined(text), text };
}

/** An admin call to the local stack with its token; anything but a 2xx ends the bench. */
export async function admin(stack: LocalStack, method: string, path: string, body?: unknown) {
  const response = await requestJson(`${stack.url}${path}`, method, body, {
    authorization: `Bearer ${stack.adminToken}`,
  });
  if (response.status >= 300) throw new Error(`${method} ${path}: ${response.status} ${response.text}`);
  return response.body as Record<string, unknown>;
}
