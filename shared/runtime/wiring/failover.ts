import { SqsRerouteQueue } from '../../adapters/reroutes/sqs-reroute-queue.ts';
import type { RerouteJob, RerouteOutcome } from '../../domain/deliveries/reroute-code.ts';
import type { DeliveryStats } from '../../ports/delivery-stats.ts';
import type { EventPublisher } from '../../ports/events.ts';
import type { RerouteQueue } from '../../ports/reroute-queue.ts';
import { feature, type Context } from '../context.ts';
import { eventLog } from './event-log.ts';
import { failoverWiring } from '../failover-wiring.ts';
import { pepper } from './config-reads.ts';
import { watchDeadlines } from './deadline-watch.ts';
import { deliveryThrough } from './delivery-core.ts';
import { gatewayHealth } from './gateway-health.ts';
import { routing } from './routing.ts';
import { secrets } from './secrets.ts';

/**
 * Issue 26's delivery side: per-message receipt addresses, the health each attempt records, and
 * delivery failover (deadline jobs wait on the queue the `rerouteJobs` strategy names; failed receipts
 * reroute at once). Reroutes are built on the first due job, through the providers the context was given
 * (local mode: all of them).
 */
export const failover = /* @__PURE__ */ feature('failover', (ctx: Context) => {
  const wiring: ReturnType<typeof failoverWiring> = failoverWiring({
    config: ctx.config,
    secrets: secrets(ctx),
    clock: ctx.clock,
    random: ctx.random,
    telemetry: ctx.telemetry,
    events: () => eventLog(ctx),
    health: gatewayHealth(ctx),
    stats: ctx.parts.deliveryStats ?? routingStats(ctx),
    queue: (run) => rerouteQueue(ctx, run),
    reroutes: () => ({
      documents: ctx.documents(),
      delivery: deliveryThrough(ctx, ctx.parts.providers, wiring.delivery),
      pepper: pepper(ctx),
    }),
  });
  return wiring;
});

/** Routing's statistics, read when a deadline passes (built lazily: routing reads the health above). */
function routingStats(ctx: Context): DeliveryStats {
  return { snapshot: (storeId, query) => routing(ctx).stats.snapshot(storeId, query) };
}

/**
 * Local mode's part `deadlineWatch` (strategy `rerouteJobs: 'timers'`): each accepted message's deadline
 * job on this process's timers, through the one deadline watch.
 */
export const watchDeadlinesLocally = (ctx: Context, inner: EventPublisher): EventPublisher =>
  watchDeadlines(ctx, inner, failover(ctx).queue);

/**
 * Where jobs wait (strategies.ts `rerouteJobs`). The local timers come from the local context
 * (`parts.localRerouteQueue`): no deployed function bundles them.
 */
function rerouteQueue(ctx: Context, run: (job: RerouteJob) => Promise<RerouteOutcome>): RerouteQueue {
  switch (ctx.strategies.rerouteJobs) {
    case 'queue':
      return new SqsRerouteQueue(ctx.aws.sqs, ctx.config.rerouteQueueUrl!);
    case 'timers':
      if (ctx.parts.localRerouteQueue) return ctx.parts.localRerouteQueue(run, ctx);
      return unavailable('local reroute timers are handed in by the local context (local/local-context.ts)');
    case 'unavailable':
      return unavailable('REROUTE_QUEUE_URL is required to arm a delivery-failover job');
  }
}

function unavailable(why: string): RerouteQueue {
  return {
    enqueue: async () => {
      throw new Error(why);
    },
  };
}
