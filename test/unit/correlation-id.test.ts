import { correlationPaths, search } from '@aws-lambda-powertools/logger/correlationId';
import { describe, expect, it } from 'vitest';
import { fieldPath, HTTP_API_CORRELATION_PATH } from '../../shared/observability/powertools.ts';

/** The logger finds the correlation id by walking fields instead of Powertools' JMESPath search. */
describe('the correlation id path', () => {
  it("is Powertools' path for HTTP APIs", () => {
    expect(HTTP_API_CORRELATION_PATH).toBe(correlationPaths.API_GATEWAY_HTTP);
  });

  it('finds what the JMESPath search finds, on events with and without the id', () => {
    const events: unknown[] = [
      { requestContext: { requestId: 'req-1', timeEpoch: 1 } },
      { requestContext: { requestId: '' } },
      { requestContext: { requestId: null } },
      { requestContext: { requestId: 7 } },
      { requestContext: { requestId: { nested: true } } },
      { requestContext: {} },
      { requestContext: null },
      { requestContext: 'text' },
      { requestContext: ['requestId'] },
      {},
      { other: { requestId: 'x' } },
    ];
    for (const event of events) {
      expect(fieldPath(HTTP_API_CORRELATION_PATH, event), JSON.stringify(event)).toEqual(
        search(HTTP_API_CORRELATION_PATH, event as Parameters<typeof search>[1]),
      );
    }
  });
});
