import type middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2 } from 'aws-lambda';
import { logger as powertoolsLogger } from '../observability/powertools.ts';
import { userRefs as contextUserRefs, type UserRefs } from '../runtime/user-ref-hooks.ts';

type Middleware = middy.MiddlewareObj<APIGatewayProxyEventV2, APIGatewayProxyResultV2>;

/** The logger key (api.md "User ids in logs"); a line never carries the `userId` itself. */
export const USER_REF_KEY = 'userRef';

/**
 * How long a refusal's own log line waits for a reference still being read: the pepper is cached per
 * warm instance, so this bounds only a cold read, and a read that fails ends the wait at once.
 */
export const USER_REF_WAIT_MS = 100;

interface LogKeys {
  appendKeys(keys: Record<string, unknown>): void;
  removeKeys(keys: string[]): void;
}

export interface UserRefKeyOptions {
  logger?: LogKeys;
  refs?: () => UserRefs | undefined;
  waitMs?: number;
}

interface Pending {
  ref?: Promise<string | undefined>;
  done: boolean;
}

type Named = APIGatewayProxyEventV2 & { client?: { storeId?: unknown } };

/**
 * The user a request names — a `userId` path parameter, query parameter or body field — in its store:
 * the API key's on `/v1`, the path's on the admin routes.
 */
export function namedUser(event: Named): { storeId: string; userId: string } | undefined {
  const body = event.body as unknown;
  const userId = [
    event.pathParameters?.userId,
    event.queryStringParameters?.userId,
    body !== null && typeof body === 'object' ? (body as { userId?: unknown }).userId : undefined,
  ].find((value): value is string => typeof value === 'string' && value.length > 0);
  const storeId = [event.client?.storeId, event.pathParameters?.storeId].find(
    (value): value is string => typeof value === 'string' && value.length > 0,
  );
  return userId && storeId ? { storeId, userId } : undefined;
}

/**
 * Puts the named user's `userRef` on the request's log lines. The read starts beside the handler and
 * never holds the answer: a success waits for nothing, a refusal's line waits at most `waitMs`, and a
 * reference that cannot be read leaves the lines without the key. Registered after validation, so
 * the validated ids are read; a request refused before it is judged on its raw path when it fails.
 */
export function userRefKey(options: UserRefKeyOptions = {}): Middleware {
  const { logger = powertoolsLogger, refs = contextUserRefs, waitMs = USER_REF_WAIT_MS } = options;
  const requests = new WeakMap<object, Pending>();

  const start = (event: Named, pending: Pending) => {
    if (pending.ref) return;
    const user = namedUser(event);
    // Not built yet (a cold instance before the handler built its feature): tried again at the end.
    const source = user && refs();
    if (!user || !source) return;
    pending.ref = source.of(user.storeId, user.userId).then(
      (ref) => {
        // A read that ends after its request must not name the user on the next request's lines.
        if (!pending.done) logger.appendKeys({ [USER_REF_KEY]: ref });
        return ref;
      },
      () => undefined,
    );
  };

  const pendingOf = (request: object): Pending => {
    let pending = requests.get(request);
    if (!pending) requests.set(request, (pending = { done: false }));
    return pending;
  };

  return {
    before: (request) => {
      logger.removeKeys([USER_REF_KEY]);
      start(request.event, pendingOf(request));
    },
    after: (request) => {
      // A success writes no line of its own: nothing to wait for.
      pendingOf(request).done = true;
      logger.removeKeys([USER_REF_KEY]);
    },
    onError: async (request) => {
      const pending = pendingOf(request);
      start(request.event, pending);
      if (pending.ref) await within(pending.ref, waitMs);
      // The refusal's line (problemDetails, registered before) is written next and carries the key;
      // injectLambdaContext's resetKeys takes it off after.
      pending.done = true;
    },
  };
}

async function within(promise: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, ms);
    timer.unref?.();
  });
  try {
    await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
