/**
 * The one route table: the CDK stack builds API Gateway routes, authorizers, functions and their
 * grants from it, and the local server serves the same handlers from it. Each entry pairs a route's
 * operation object (everything else about it) with the handler module that serves it.
 */
import * as applications from './operations/applications.ts';
import * as callbacks from './operations/callbacks.ts';
import * as challenges from './operations/challenges.ts';
import * as blocks from './operations/blocks.ts';
import * as usage from './operations/usage.ts';
import * as client from './operations/client.ts';
import * as gateways from './operations/gateways.ts';
import * as stores from './operations/identity-stores.ts';
import * as integrations from './operations/integrations.ts';
import { accessOf, type Access, type Operation, type RouteAuth } from './operations/operation.ts';
import * as service from './operations/service.ts';
import * as support from './operations/support.ts';
import * as routing from './operations/routing.ts';
import * as deliveries from './operations/webhook-deliveries.ts';
import * as webhooks from './operations/webhooks.ts';

export type { Access, HttpMethod, RouteAuth } from './operations/operation.ts';

export interface Route {
  id: string;
  method: Operation['method'];
  path: string;
  /** Handler module relative to the project root; it exports `handler`, built from `operation`. */
  handler: string;
  auth: RouteAuth;
  access: readonly Access[];
  summary: string;
  operation: Operation;
}

const route = (operation: Operation, handler: string): Route => ({
  id: operation.id,
  method: operation.method,
  path: operation.path,
  handler,
  auth: operation.auth,
  access: accessOf(operation),
  summary: operation.summary,
  operation,
});

export const routes: readonly Route[] = [
  route(service.health, 'functions/health/get.ts'),
  route(gateways.listGatewayTypes, 'functions/gateway-types/list.ts'),
  route(gateways.createGateway, 'functions/gateways/create.ts'),
  route(gateways.listGateways, 'functions/gateways/list.ts'),
  route(gateways.getGateway, 'functions/gateways/get.ts'),
  route(gateways.updateGateway, 'functions/gateways/update.ts'),
  route(gateways.deleteGateway, 'functions/gateways/delete.ts'),
  route(gateways.testGateway, 'functions/gateways/test.ts'),
  route(stores.createIdentityStore, 'functions/identity-stores/create.ts'),
  route(stores.listIdentityStores, 'functions/identity-stores/list.ts'),
  route(stores.getIdentityStore, 'functions/identity-stores/get.ts'),
  route(stores.updateIdentityStore, 'functions/identity-stores/update.ts'),
  route(stores.deleteIdentityStore, 'functions/identity-stores/delete.ts'),
  route(stores.createApiKey, 'functions/api-keys/create.ts'),
  route(stores.listApiKeys, 'functions/api-keys/list.ts'),
  route(stores.deleteApiKey, 'functions/api-keys/delete.ts'),
  route(webhooks.createWebhook, 'functions/webhooks/create.ts'),
  route(webhooks.listWebhooks, 'functions/webhooks/list.ts'),
  route(webhooks.deleteWebhook, 'functions/webhooks/delete.ts'),
  route(webhooks.rotateWebhookSecret, 'functions/webhooks/rotate-secret.ts'),
  route(challenges.getChallengeHistory, 'functions/challenges/get.ts'),
  route(support.getStoreUser, 'functions/store-users/get.ts'),
  route(support.resetStoreUserFactor, 'functions/store-users/reset-factor.ts'),
  route(support.unlockStoreUser, 'functions/store-users/unlock.ts'),
  route(routing.getRoutingSnapshot, 'functions/routing/get.ts'),
  route(deliveries.listWebhookDeliveries, 'functions/webhook-deliveries/list.ts'),
  route(deliveries.retryWebhookDelivery, 'functions/webhook-deliveries/retry.ts'),
  route(blocks.listBlocks, 'functions/blocks/list.ts'),
  route(blocks.deleteBlock, 'functions/blocks/delete.ts'),
  route(usage.getUsage, 'functions/usage/get.ts'),
  route(applications.createApplication, 'functions/applications/create.ts'),
  route(applications.listApplications, 'functions/applications/list.ts'),
  route(applications.getApplication, 'functions/applications/get.ts'),
  route(applications.updateApplication, 'functions/applications/update.ts'),
  route(applications.deleteApplication, 'functions/applications/delete.ts'),
  route(integrations.createIntegration, 'functions/integrations/create.ts'),
  route(integrations.listIntegrations, 'functions/integrations/list.ts'),
  route(integrations.getIntegration, 'functions/integrations/get.ts'),
  route(integrations.updateIntegration, 'functions/integrations/update.ts'),
  route(integrations.deleteIntegration, 'functions/integrations/delete.ts'),
  route(integrations.rotateIntegrationSecret, 'functions/integrations/rotate-secret.ts'),
  route(integrations.receiveHook, 'functions/hooks/receive.ts'),
  route(callbacks.receiveReceipt, 'functions/callbacks/receive.ts'),
  route(callbacks.receiveAddressedReceipt, 'functions/callbacks/receive-addressed.ts'),
  route(callbacks.receiveAddressedReceiptGet, 'functions/callbacks/receive-addressed-get.ts'),
  route(client.mfaStatus, 'functions/users/mfa-status.ts'),
  route(client.enrollFactor, 'functions/sms-factor/enroll.ts'),
  route(client.getFactor, 'functions/sms-factor/get.ts'),
  route(client.deleteFactor, 'functions/sms-factor/delete.ts'),
  route(client.authenticate, 'functions/challenges/authenticate.ts'),
  route(client.verifyPhone, 'functions/verifications/create.ts'),
  route(client.verifyCode, 'functions/challenges/verify.ts'),
  route(client.cancelChallenge, 'functions/challenges/cancel.ts'),
  route(service.openapi, 'functions/openapi/get.ts'),
];

/**
 * The Lambda REQUEST authorizer in front of every `api-key` route. It reads the key and refreshes
 * the key's `lastUsedAt` at most every few minutes: its API key item and nothing else.
 */
export const apiKeyAuthorizer = {
  id: 'api-key-authorizer',
  handler: 'functions/authorizer/api-key.ts',
  // stores:check: a key of a deleted store (or application) is refused until it is removed.
  access: ['api-keys:authenticate', 'stores:check'] as readonly Access[],
  /** With edge protection (CloudFront + WAF) only: the origin-verify secret exists and is checked. */
  edgeAccess: ['origin-verify:read'] as readonly Access[],
} as const;

/** A function that no route invokes (a stream, a queue, a schedule or another function does), with its access. */
export interface Worker {
  id: string;
  handler: string;
  access: readonly Access[];
}
const worker = (id: string, handler: string, access: readonly Access[]): Worker => ({ id, handler, access });

/** Invoked by Secrets Manager on the pepper's rotation schedule. */
export const pepperRotator = worker('pepper-rotation', 'functions/pepper-rotation/rotate.ts', [
  'pepper:rotate',
]);

/**
 * Sends the notice to a number an enrollment replaced. Invoked asynchronously by the verify function,
 * which therefore needs neither gateway credentials nor SMS permissions itself.
 */
export const replacementNotifier = worker(
  'replaced-number-notifier',
  'functions/notifications/replaced-number.ts',
  // events:publish: its sends record gateway health, whose transitions are events.
  ['config:read', 'gateway-secrets:read', 'sms:send', 'gateway-health:write', 'events:publish'],
);

/**
 * Removes every item of a deleted identity store and its integrations' secrets. Run by the table's
 * stream on the store item's REMOVE, and again by the sweep-again queue once the sends that were still
 * running are done (cdk/constructs/store-sweep.ts); local mode sweeps in the DELETE request instead.
 */
export const storeSweeper = worker('store-sweeper', 'functions/store-sweep/stream.ts', [
  'store-items:sweep',
  'integration-secrets:delete',
]);

/**
 * The table stream's aggregates (issue 26): one function running a list of projections; the usage
 * ledger's counters and routing's delivery statistics (cdk/constructs/table-stream-aggregates.ts).
 */
export const streamAggregator = worker(
  'table-stream-aggregates',
  'functions/table-stream-aggregates/stream.ts',
  ['usage:write', 'challenges:history', 'routing:write'],
);

/**
 * Takes an approved challenge's sends off the fraud guard's unverified counts, deployed: a rule on the
 * event bus invokes it (asynchronously) with each `challenge.approved` event, so verify stays one round
 * trip. Reads the challenge, marks it un-counted (once) and refunds its counter items.
 */
export const approvalUncounter = worker('approval-uncount', 'functions/approval-uncount/event.ts', [
  'challenges:write',
]);

/**
 * Delivers webhooks deployed: the consumer of the webhook queue that a rule on the event bus feeds
 * (cdk/constructs/event-delivery.ts). Reads webhooks (their secrets sign) and disables one that answers 410.
 */
export const webhookDeliverer = worker('webhook-delivery', 'functions/webhook-delivery/queue.ts', [
  'webhooks:write',
  'webhook-deliveries:write',
]);

/**
 * Deployed expiry reports (cdk/constructs/expiry-reports.ts): a rule on `challenge.created` runs the
 * scheduler, which creates a one-time schedule shortly after the challenge's expiry; that schedule runs
 * the reporter, which reports the expiry (once) or, after a resend, schedules the next check.
 */
export const expiryScheduler = worker('challenge-expiry-schedule', 'functions/challenge-expiry/schedule.ts', [
  'expiry:schedule',
]);
export const expiryReporter = worker('challenge-expiry-report', 'functions/challenge-expiry/report.ts', [
  'challenges:report-expiry',
  'events:publish',
  'expiry:schedule',
]);

/**
 * Delivery failover deployed (issue 26): the consumer of the reroute delay queue, which holds each job
 * until its deadline (cdk/constructs/reroute-jobs.ts). Runs RerouteCode: reads the store, the message's
 * receipt pointer, the challenge and its history, the delivery statistics; claims the reroute and sends a
 * new code of the challenge like any send (limits, events, the next job of the message it sends).
 */
export const rerouteWorker = worker('reroute-jobs', 'functions/reroutes/queue.ts', [
  'config:read',
  'challenges:write',
  'challenges:history',
  'gateway-secrets:read',
  'pepper:read',
  'sms:send',
  'receipt-key:read',
  'routing:read',
  'gateway-health:write',
  'events:publish',
  'reroutes:enqueue',
]);

/** Every worker: each is a function of its own in the stack. */
export const WORKERS: readonly Worker[] = [
  pepperRotator,
  replacementNotifier,
  storeSweeper,
  streamAggregator,
  webhookDeliverer,
  approvalUncounter,
  expiryScheduler,
  expiryReporter,
  rerouteWorker,
];
