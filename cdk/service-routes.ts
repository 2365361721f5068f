import { fileURLToPath } from 'node:url';
import { Duration } from 'aws-cdk-lib';
import { createIdentityStore, updateIdentityStore } from '../shared/operations/identity-stores.ts';
import type { Route } from '../shared/routes.ts';

/** The repository root; route handlers are relative to it. */
export const PROJECT_ROOT = fileURLToPath(new URL('..', import.meta.url));

/**
 * Routes that may be served without authentication, each with the reason cdk-nag is told. A route with
 * `auth: 'none'` that is not listed here fails synth: nobody makes a route public by accident.
 */
export const PUBLIC_ROUTES: Readonly<Record<string, string>> = {
  health:
    'GET /health is a liveness probe for uptime monitors and load balancers, which hold no AWS credentials; ' +
    'it reads nothing and returns only a fixed status, so there is nothing to protect.',
  openapi:
    'GET /openapi.json is the public description of this API for client developers and tooling; it is generated ' +
    'from the request schemas and reads no data.',
  'hooks-receive':
    'POST /hooks/{integrationId} is called by identity providers (Supabase, Okta, Kratos, Auth0), which can neither ' +
    'sign requests with IAM nor hold an API key; the handler authenticates each request with the integration ' +
    'secret (a Standard Webhooks signature or a bearer secret, compared in constant time), and the route has the ' +
    'send throttle.',
  'callbacks-receive':
    'POST /callbacks/{gatewayId} receives delivery receipts from SMS providers (Twilio, Vonage, Plivo, custom ' +
    'gateways), which can neither sign requests with IAM nor hold an API key; the handler verifies each receipt ' +
    "with the provider's own signature keyed by the gateway's callbackSecret (compared in constant time, dated " +
    'signatures within 5 minutes) and answers every refusal with the same 401; the route has the send throttle.',
  'callbacks-receive-send':
    "POST /callbacks/{gatewayId}/{sendId} receives delivery reports (Sinch, Infobip) on a message's own receipt " +
    'address; providers can neither sign with IAM nor hold an API key; the handler checks the `t` token, an ' +
    'HMAC-SHA-256 of the gateway and send ids under the service receipt key (constant time), and answers every ' +
    'refusal with the same 401; the route has the send throttle.',
  'callbacks-receive-send-get':
    "GET /callbacks/{gatewayId}/{sendId} receives MessageBird status reports on a message's own receipt address, " +
    'authenticated by its `t` token like the POST route; every refusal is the same 401.',
};

/** Routes without an API Gateway authorizer: `none`, and hooks, which their handler authenticates. */
export const publicToApiGateway = (route: Route) => route.auth === 'none' || route.auth === 'hook-secret';

/** How the notifier's asynchronous invocations are retried: a notice hours late is worse than none. */
export const NOTIFIER_RETRY_ATTEMPTS = 1;
export const NOTIFIER_MAX_EVENT_AGE = Duration.minutes(15);

export const sends = (access: readonly string[]) => access.includes('sms:send');

/** The routes that write an identity store's test numbers (TEST_NUMBERS_ALLOWED decides them). */
export const VALIDATES_TEST_NUMBERS: ReadonlySet<string> = new Set([
  createIdentityStore.id,
  updateIdentityStore.id,
]);
