import { LocalRerouteTimers } from '../shared/adapters/reroutes/local-reroute-timers.ts';
import { providerSenders } from '../shared/adapters/sms/senders.ts';
import { readConfig, type RuntimeConfig } from '../shared/runtime/config.ts';
import { createContext, useContext, type Context, type ContextParts } from '../shared/runtime/context.ts';
import { notifier } from '../shared/runtime/wiring/challenges.ts';
import { consoleDelivery } from '../shared/runtime/wiring/delivery.ts';
import { reportExpiry } from '../shared/runtime/wiring/expiry-reports.ts';
import { storeSweep } from '../shared/runtime/wiring/store-sweep.ts';
import { watchDeadlinesLocally } from '../shared/runtime/wiring/failover.ts';
import { feedRoutingStats } from '../shared/runtime/wiring/routing.ts';
import { feedUsage } from '../shared/runtime/wiring/usage.ts';
import { eventsFilePublisher } from '../shared/runtime/wiring/webhook-deliveries.ts';
import { webhookSending } from '../shared/runtime/wiring/webhook-delivery.ts';

/**
 * Local mode is one process serving every route: every feature gets the provider adapters, and the
 * in-process webhook dispatcher the guarded HTTP client and the signing library, which a deployed
 * function gets only from the wiring of a feature that needs them; the expiry watch its report; a
 * replaced number's notice its delivery (strategy `replacementNotice`; a deployed verify or support
 * reset invokes the notifier function); a store's deletion its sweep (strategy `storeCleanup`); the event
 * publisher the work a deployed table stream does (usage ledger, routing statistics) and failover's
 * deadline watch (strategies `eventFeeds`, `rerouteJobs`), whose jobs wait on this process's timers
 * (deployed: the reroute delay queue).
 */
export function localContext(parts: ContextParts = {}, config: RuntimeConfig = readConfig()): Context {
  return createContext(config, {
    providers: providerSenders,
    webhookSending,
    expiryReport: reportExpiry,
    replacementNotice: (ctx) => notifier(ctx, consoleDelivery(ctx)),
    inRequestSweep: (ctx) => ({
      storeDeleted: async (storeId) => void (await storeSweep(ctx).storeDeleted(storeId)),
    }),
    eventsFile: eventsFilePublisher,
    eventFeeds: (ctx, inner) => feedRoutingStats(ctx, feedUsage(ctx, inner)),
    deadlineWatch: watchDeadlinesLocally,
    localRerouteQueue: (run, ctx) => new LocalRerouteTimers(run, ctx.telemetry, ctx.parts.rerouteTimers),
    ...parts,
  });
}

/** Puts a local context (from the environment as it is now, with `parts`) in place for every handler. */
export function useLocalContext(parts: ContextParts = {}, config: RuntimeConfig = readConfig()): Context {
  const made = localContext(parts, config);
  useContext(made);
  return made;
}
