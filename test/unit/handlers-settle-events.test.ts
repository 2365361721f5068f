import { tmpdir } from 'node:os';
import type { Context as LambdaContext } from 'aws-lambda';
import { afterEach, describe, expect, it } from 'vitest';
import * as z from 'zod';
import { cognitoAuthTrigger } from '../../functions/cognito/auth-trigger.ts';
import { useLocalContext } from '../../local/local-context.ts';
import type { DomainEvent } from '../../shared/domain/events/event.ts';
import { asyncHandler } from '../../shared/observability/async-handler.ts';
import { readConfig } from '../../shared/runtime/config.ts';
import { feature } from '../../shared/runtime/context.ts';
import { useContext } from '../../shared/runtime/context-slot.ts';
import { buildEventLog } from '../../shared/runtime/wiring/event-publishing.ts';

/**
 * Lambda may freeze a function's process as soon as its handler returns: the handlers that are not HTTP
 * routes (Cognito's triggers, the asynchronously invoked functions) must have published what their work
 * emitted by then. The publisher here takes 200 ms, as a slow PutEvents would.
 */
const published: DomainEvent[] = [];
function slowPublisherContext() {
  published.length = 0;
  useLocalContext(
    {
      eventsFile: () => ({
        publish: async (event) => {
          await new Promise((resolve) => setTimeout(resolve, 200));
          published.push(event);
        },
      }),
    },
    readConfig({ TABLE_NAME: 'unit-tests', LOCAL_MODE: 'true', SECRET_STORE: 'file', DATA_DIR: tmpdir() }),
  );
}
afterEach(() => {
  useContext(undefined);
});

const emitting = feature('emits one audit event', (ctx) => {
  const log = buildEventLog(ctx);
  return () => log.emit('admin.gateway.deleted', { actor: 'test', gatewayId: 'gw_1' });
});
const lambdaContext = { functionName: 'test', awsRequestId: 'r-1' } as unknown as LambdaContext;

describe('handlers publish before they return', () => {
  it("a Cognito trigger's events", async () => {
    slowPublisherContext();
    const handler = cognitoAuthTrigger<{ response: { ok: boolean } }, () => void>(emitting, async (emit) => {
      emit();
      return { ok: true };
    });
    const answer = await handler({ response: { ok: false } }, lambdaContext);
    expect(answer.response).toEqual({ ok: true });
    expect(published.map((e) => e.type)).toEqual(['admin.gateway.deleted']);
  });

  it("an asynchronous function's events, also when its work fails", async () => {
    slowPublisherContext();
    const ok = asyncHandler('test', z.object({}), 'malformed', async () => {
      emitting()();
      return 'done';
    });
    expect(await ok({}, lambdaContext)).toBe('done');
    expect(published).toHaveLength(1);
    const failing = asyncHandler('test', z.object({}), 'malformed', async () => {
      emitting()();
      throw new Error('retried by Lambda');
    });
    await expect(failing({}, lambdaContext)).rejects.toThrow('retried by Lambda');
    expect(published).toHaveLength(2);
  });
});
