import { Unauthorized, ValidationFailed } from '../domain/errors.ts';
import { receiveHook } from '../operations/integrations.ts';
import { integrations } from '../runtime/wiring/integrations.ts';
import { relay as relayCode } from '../runtime/wiring/relay.ts';
import { context } from '../runtime/context.ts';
import { HOOK_KINDS } from './hooks/index.ts';
import type { HookHttpRequest, HookKind } from './hooks/hook-kind.ts';
import type { HookCredentials } from '../domain/integrations/integration-service.ts';
import { PROVIDER_BUDGET_MS } from '../domain/sending/deadline.ts';
import { answerBy, deadlinePassed, type AnswerBy } from './answer-within.ts';
import { jsonOrUndefined } from './json-text.ts';
import { errorResponse, fieldErrors } from './middlewares.ts';
import { buildHttpHandler, type HttpRequest, type LambdaHttpHandler } from './http-handler.ts';
import type { HttpResult } from './responses.ts';

/** Whatever is wrong with the credentials, the answer is the same. */
const refused = () => new Unauthorized('The hook request is not authenticated.');

/**
 * `POST /hooks/{integrationId}`: authenticate with the integration's secret (a uniform 401), parse the
 * provider's payload, relay (which emits `code.sent` with `source`), and answer in the provider's terms.
 */
export function answerHook(request: HttpRequest<typeof receiveHook>): Promise<HttpResult> {
  return answerBy(PROVIDER_BUDGET_MS, (by) => authenticatedHook(request, by));
}

async function authenticatedHook(
  request: HttpRequest<typeof receiveHook>,
  by: AnswerBy,
): Promise<HttpResult> {
  const { event } = request;
  const hook: HookHttpRequest = {
    rawBody: event.isBase64Encoded
      ? Buffer.from(event.body ?? '', 'base64').toString('utf8')
      : (event.body ?? ''),
    headers: request.headers,
  };
  const id = request.params.integrationId;
  const now = () => context().clock.now().getTime();
  let credentials = await integrations().hookCredentials(id);
  if (!credentials) throw refused();
  let kind = HOOK_KINDS[credentials.integration.kind];
  if (!kind.authenticated(hook, credentials.secrets, now())) {
    // A secret rotated moments ago may not be in this process's cache yet.
    credentials = await integrations().hookCredentials(id, { fresh: true });
    if (!credentials) throw refused();
    kind = HOOK_KINDS[credentials.integration.kind];
    if (!kind.authenticated(hook, credentials.secrets, now())) throw refused();
  }
  const { integration } = credentials;
  const relayed = kind;
  // The provider's own answer time (Okta's) bounds the whole answer, counted from the arrival; the
  // answer goes when the provider attempts' budget ends.
  if (relayed.budgetMs !== undefined) by.shorten(relayed.budgetMs, () => failed(relayed, deadlinePassed()));
  return relay(relayed, hook, integration);
}

async function relay(
  kind: HookKind,
  hook: HookHttpRequest,
  integration: HookCredentials['integration'],
): Promise<HttpResult> {
  try {
    const parsed = kind.body.safeParse(jsonOrUndefined(hook.rawBody) ?? {});
    if (!parsed.success)
      throw new ValidationFailed(fieldErrors(parsed.error, '', jsonOrUndefined(hook.rawBody)));
    const result = await relayCode().run({
      ...kind.relayInput(parsed.data, hook),
      storeId: integration.storeId,
      integrationId: integration.id,
      source: integration.kind,
    });
    return {
      statusCode: 200,
      headers: { 'content-type': 'application/json', 'cache-control': 'no-store' },
      body: JSON.stringify(kind.success(result)),
    };
  } catch (error) {
    return failed(kind, errorResponse(error));
  }
}

/** The provider's terms for a refusal: Supabase a 500, Okta an `error` it falls back on. */
function failed(kind: HookKind, problem: HttpResult): HttpResult {
  return kind.failure ? kind.failure(problem) : problem;
}

/** The hook route's handler: the provider adapters come with it, as with every function that sends. */
export function hookHttpHandler(): LambdaHttpHandler {
  return buildHttpHandler(
    receiveHook,
    () => Promise.reject(new Error('hooks answer through answerHook')),
    (request) => answerHook(request),
  );
}
