import { LocalRerouteTimers } from '../shared/adapters/reroutes/local-reroute-timers.ts';
import { providerSenders } from '../shared/adapters/sms/senders.ts';
import { readConfig, type RuntimeConfig } from '../shared/runtime/config.ts';
import { createContext, useContext, type Context, type ContextParts } from '../shared/runtime/context.ts';
import { reportExpiry } from '../shared/runtime/wiring/expiry-reports.ts';
import { webhookSending } from '../shared/runtime/wiring/webhook-delivery.ts';

/**
 * Local mode is one process serving every route: every feature gets the provider adapters, and the
 * in-process webhook dispatcher the guarded HTTP client and the signing library, which a deployed
 * function gets only from the wiring of a feature that needs them; the expiry watch its report; delivery
 * failover its timers (deployed: the reroute delay queue).
 */
export function localContext(parts: ContextParts = {}, config: RuntimeConfig = readConfig()): Context {
  return createContext(config, {
    providers: providerSenders,
    webhookSending,
    expiryReport: reportExpiry,
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
