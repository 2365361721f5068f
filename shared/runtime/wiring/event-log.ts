import { noEvents, type EventPort } from '../../ports/events.ts';
import { EVENTS, type Context } from '../context.ts';

/**
 * The event log, once a feature built it (every sending route does before it delivers): read through the
 * context, not imported, so that the event wiring may wrap its publisher with failover's deadline watch.
 */
export function eventLog(ctx: Context): EventPort {
  return ctx.peek<{ log: EventPort }>(EVENTS)?.log ?? noEvents;
}
