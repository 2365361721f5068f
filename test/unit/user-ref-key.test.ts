import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2, Context } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { userRef } from '../../shared/domain/support/user-ref.ts';
import { namedUser, userRefKey } from '../../shared/http/user-ref-key.ts';
import type { UserRefs } from '../../shared/runtime/user-ref-hooks.ts';

const KEYS = Buffer.from('a key pepper for the tests', 'utf8');
const refs: UserRefs = { of: async (storeId, userId) => userRef(KEYS, storeId, userId) };

/** A logger's keys, and every line written with the keys it had then. */
function fakeLogger() {
  const keys: Record<string, unknown> = {};
  const lines: Record<string, unknown>[] = [];
  return {
    lines,
    keys,
    appendKeys: (more: Record<string, unknown>) => void Object.assign(keys, more),
    removeKeys: (names: string[]) => names.forEach((name) => delete keys[name]),
    info: (message: string) => void lines.push({ ...keys, message }),
  };
}

type Logger = ReturnType<typeof fakeLogger>;
type Handle = (log: Logger) => Promise<APIGatewayProxyResultV2>;

/** The pipeline's order: the refusal's line is written by an error middleware registered before. */
function chain(log: Logger, source: () => UserRefs | undefined, handle: Handle, waitMs = 50) {
  return middy<APIGatewayProxyEventV2, APIGatewayProxyResultV2>()
    .use({
      onError: (request) => {
        log.info('request refused');
        request.response = { statusCode: 400, body: 'refused' };
      },
    })
    .use(userRefKey({ logger: log, refs: source, waitMs }))
    .handler(() => handle(log));
}

const event = (pathParameters: Record<string, string>, storeId?: string) =>
  ({
    pathParameters,
    headers: {},
    requestContext: {},
    ...(storeId ? { client: { storeId } } : {}),
  }) as unknown as APIGatewayProxyEventV2;
const lambdaContext = {} as Context;
const yieldToReads = () => new Promise((resolve) => setImmediate(resolve));
const refuse: Handle = async () => {
  throw new Error('refused');
};

describe('userRefKey', () => {
  it('sets the key for a request naming a user, and the next request without one has none', async () => {
    const log = fakeLogger();
    const handler = chain(
      log,
      () => refs,
      async (l) => {
        await yieldToReads();
        l.info('handled');
        return { statusCode: 200 };
      },
    );
    const refused = chain(log, () => refs, refuse);
    const expected = userRef(KEYS, 'ids_1', 'ünï·🦊');

    await handler(event({ userId: 'ünï·🦊' }, 'ids_1'), lambdaContext);
    await refused(event({ storeId: 'ids_1', userId: 'ünï·🦊' }), lambdaContext);
    await refused(event({ challengeId: 'ch_1' }, 'ids_1'), lambdaContext);
    await handler(event({}, 'ids_1'), lambdaContext);

    expect(log.lines).toEqual([
      { message: 'handled', userRef: expected },
      { message: 'request refused', userRef: expected },
      { message: 'request refused' },
      { message: 'handled' },
    ]);
    expect(log.keys).toEqual({});
  });

  it('a context whose references the handler builds (a cold instance) still names the refusal', async () => {
    const log = fakeLogger();
    let built: UserRefs | undefined;
    const handler = chain(
      log,
      () => built,
      async () => {
        built = refs;
        throw new Error('refused');
      },
    );
    await handler(event({ userId: 'u1' }, 'ids_2'), lambdaContext);
    expect(log.lines).toEqual([{ message: 'request refused', userRef: userRef(KEYS, 'ids_2', 'u1') }]);
  });

  it('a pepper read that fails or hangs leaves the answer unchanged and the line without the key', async () => {
    const without = fakeLogger();
    const answerWithout = await chain(
      without,
      () => undefined,
      refuse,
    )(event({ userId: 'u1' }, 'ids_3'), lambdaContext);

    const failing = fakeLogger();
    const broken: UserRefs = { of: () => Promise.reject(new Error('AccessDeniedException')) };
    const answerFailing = await chain(
      failing,
      () => broken,
      refuse,
    )(event({ userId: 'u1' }, 'ids_3'), lambdaContext);

    const hanging = fakeLogger();
    let release: (ref: string) => void = () => undefined;
    const slow: UserRefs = { of: () => new Promise<string>((resolve) => (release = resolve)) };
    const answerHanging = await chain(
      hanging,
      () => slow,
      refuse,
      1,
    )(event({ userId: 'u1' }, 'ids_3'), lambdaContext);
    // The read ends after its request: the next request's lines must not carry it.
    release('0123456789abcdef');
    await yieldToReads();

    expect(answerFailing).toEqual(answerWithout);
    expect(answerHanging).toEqual(answerWithout);
    expect(answerWithout).toEqual({ statusCode: 400, body: 'refused' });
    for (const log of [without, failing, hanging]) {
      expect(log.lines).toEqual([{ message: 'request refused' }]);
      expect(log.keys).toEqual({});
    }
  });

  it('finds the user in the path, the query or the body, in the key’s store or the path’s', () => {
    const withBody = { ...event({}, 'ids_k'), body: { userId: 'b' } } as unknown as APIGatewayProxyEventV2;
    expect(namedUser(event({ userId: 'p' }, 'ids_k'))).toEqual({ storeId: 'ids_k', userId: 'p' });
    expect(namedUser(event({ storeId: 'ids_p', userId: 'p' }))).toEqual({ storeId: 'ids_p', userId: 'p' });
    expect(namedUser(withBody)).toEqual({ storeId: 'ids_k', userId: 'b' });
    expect(namedUser(event({ userId: 'p' }))).toBeUndefined();
    expect(namedUser(event({ storeId: 'ids_p' }))).toBeUndefined();
  });
});
