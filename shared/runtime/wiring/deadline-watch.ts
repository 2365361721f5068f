import { SqsRerouteQueue } from '../../adapters/reroutes/sqs-reroute-queue.ts';
import { DeliveryDeadlines } from '../../domain/deliveries/delivery-deadlines.ts';
import type { EventPublisher } from '../../ports/events.ts';
import type { RerouteQueue } from '../../ports/reroute-queue.ts';
import type { Context } from '../context.ts';
import { cachedStores } from './config-reads.ts';

/**
 * The one deadline watch: wraps the event publisher so that each accepted message of a store with a
 * delivery deadline arms its reroute job on `queue`. Where the queue is follows the `rerouteJobs` strategy.
 */
export function watchDeadlines(ctx: Context, inner: EventPublisher, queue: RerouteQueue): EventPublisher {
  return new DeliveryDeadlines(inner, {
    stores: cachedStores(ctx),
    queue,
    failoverAllowed: ctx.config.deliveryFailoverAllowed,
    clock: ctx.clock,
    telemetry: ctx.telemetry,
  });
}

/**
 * Deployed (`rerouteJobs: 'queue'`): jobs on the SQS delay queue, which the reroute worker
 * (functions/reroutes/queue.ts) reads at the deadline. Built from the queue adapter alone, not through the
 * failover wiring, so a function that publishes events bundles none of the reroute machinery.
 */
export const watchDeadlinesOnQueue = (ctx: Context, inner: EventPublisher): EventPublisher =>
  watchDeadlines(ctx, inner, new SqsRerouteQueue(ctx.aws.sqs, ctx.config.rerouteQueueUrl!));
