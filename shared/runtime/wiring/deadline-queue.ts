import { SqsRerouteQueue } from '../../adapters/reroutes/sqs-reroute-queue.ts';
import { DeliveryDeadlines } from '../../domain/deliveries/delivery-deadlines.ts';
import type { EventPublisher } from '../../ports/events.ts';
import type { Context } from '../context.ts';
import { cachedStores } from './config-reads.ts';

/**
 * Deployed (strategy `deadlineWatch: 'queue'`): each accepted message's deadline job on the SQS delay
 * queue, which the reroute worker (functions/reroutes/queue.ts) reads at the deadline. Built from the
 * queue adapter alone, not through the failover wiring, so a function that publishes events bundles none
 * of the reroute machinery.
 */
export function watchDeadlinesOnQueue(ctx: Context, inner: EventPublisher): EventPublisher {
  return new DeliveryDeadlines(inner, {
    stores: cachedStores(ctx),
    queue: new SqsRerouteQueue(ctx.aws.sqs, ctx.config.rerouteQueueUrl!),
    failoverAllowed: ctx.config.deliveryFailoverAllowed,
    clock: ctx.clock,
    telemetry: ctx.telemetry,
  });
}
