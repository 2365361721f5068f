import { sideEffectFailed } from '../../domain/side-effects.ts';
import type { EventPort } from '../../ports/events.ts';
import { EVENTS, type Context } from '../context.ts';

/**
 * The event log, once a feature built it (every sending route does before it delivers): read through the
 * context, not imported, so that the event wiring may wrap its publisher with failover's deadline watch.
 * A function whose features built none drops the event, but says so (`SideEffectFailed`, kind
 * `event-publish`, error `NoEventLog`): the deployed reroute worker once published nothing, unseen.
 */
export function eventLog(ctx: Context): EventPort {
  return ctx.peek<{ log: EventPort }>(EVENTS)?.log ?? unbuilt(ctx);
}

class NoEventLog extends Error {
  override name = 'NoEventLog';
}

const unbuilt = (ctx: Context): EventPort => ({
  emit: (type, data) =>
    sideEffectFailed(ctx.telemetry, 'event-publish', new NoEventLog(), {
      eventType: type,
      ...(typeof data.storeId === 'string' ? { storeId: data.storeId } : {}),
      ...(typeof data.challengeId === 'string' ? { challengeId: data.challengeId } : {}),
    }),
});
