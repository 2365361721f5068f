import { providerSenders } from '../../adapters/sms/senders.ts';
import type { RerouteJob, RerouteOutcome } from '../../domain/deliveries/reroute-code.ts';
import { feature } from '../context.ts';
import { pepper } from './config-reads.ts';
import { deliveryThrough } from './delivery-core.ts';
import { events } from './events.ts';
import { failover } from './failover.ts';

export interface Reroutes {
  run(job: RerouteJob): Promise<RerouteOutcome>;
}

/**
 * The deployed reroute worker's work (functions/reroutes/queue.ts): each due job runs `RerouteCode`,
 * sending through every provider (the worker sends; a route function that does not gets the console only).
 */
export const reroutes = /* @__PURE__ */ feature('reroutes', (ctx): Reroutes => {
  // The worker's own event log, with its send side: a reroute publishes `code.rerouted` and `code.sent`,
  // records the send and arms the rerouted message's own deadline job. Failover reads the log from the
  // context (wiring/event-log.ts), which in a function of its own nothing else builds.
  events(ctx);
  const wiring = failover(ctx);
  const code = wiring.rerouteCode({
    documents: ctx.documents(),
    delivery: deliveryThrough(ctx, providerSenders, wiring.delivery),
    pepper: pepper(ctx),
  });
  return { run: (job) => code.run(job) };
});
