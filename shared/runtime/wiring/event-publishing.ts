import { EventBridgePublisher } from '../../adapters/events/eventbridge-publisher.ts';
import { failingPublisher, refusingGuard } from '../../adapters/faults/side-path-faults.ts';
import { realScheduler } from '../../adapters/webhooks/local-webhook-dispatcher.ts';
import { EventLog } from '../../domain/events/event-log.ts';
import type { EventPublisher } from '../../ports/events.ts';
import { EVENTS, feature, type Context } from '../context.ts';

/**
 * The event log without its send side: what an audited admin write and delivery's gateway health emit to.
 * Apart from events.ts (the log with its send side: send records, failover's deadline watch) so that a
 * function that sends nothing imports none of the send side, not even code esbuild would drop: a module
 * a function imports statically, used or not, puts what it imports into the files its cold start loads.
 */

export interface Events {
  log: EventLog;
}

/** Where the send side's publisher is kept once a sending feature built it (see `events`). */
export const SEND_SIDE = Symbol('send side of the event publisher');

/**
 * The log itself (the slot the HTTP pipeline settles and the audit emits to). It publishes through the
 * send side once one is built in this context, else through the publisher alone: an audited admin
 * write emits no send event, and a deployed admin function then bundles none of the send side. In one
 * process serving every route (local mode) an audit may build the log first and a send the side later;
 * each event still goes through the one chain built when it is published.
 */
export const eventLogOf = /* @__PURE__ */ feature(EVENTS, (ctx: Context): Events => {
  const publisher: EventPublisher = {
    publish: (event) => (ctx.peek<EventPublisher>(SEND_SIDE) ?? publisherAlone(ctx)).publish(event),
  };
  const log = new EventLog(publisher, ctx.clock, ctx.random, ctx.telemetry, {
    guard: ctx.config.faults.has('event-guard') ? refusingGuard : undefined,
    wait: ctx.parts.webhookScheduler ?? realScheduler,
  });
  return { log };
});

/** The chain without the send side: the publisher, fed (locally) to routing and usage. */
const publisherAlone = /* @__PURE__ */ feature('event publisher without the send side', (ctx: Context) =>
  fed(ctx, rawPublisher(ctx)),
);

/** The publisher by strategy (bus, events file or none), made once for both chains. */
export const rawPublisher = /* @__PURE__ */ feature('event publisher', (ctx: Context): EventPublisher =>
  ctx.config.faults.has('event-publish') ? failingPublisher : publisherFor(ctx),
);

/**
 * Locally the routing statistics and the usage ledger count each event in-process; deployed the table
 * stream does, and the functions that publish bundle neither.
 */
export function fed(ctx: Context, inner: EventPublisher): EventPublisher {
  switch (ctx.strategies.eventFeeds) {
    case 'in-process':
      return handedIn(ctx.parts.eventFeeds, 'eventFeeds')(ctx, inner);
    case 'table-stream':
      return inner;
  }
}

export function handedIn<T>(part: T | undefined, name: string): T {
  if (part === undefined) {
    throw new Error(`local mode needs the context part ${name} (local/local-context.ts hands it in)`);
  }
  return part;
}

function publisherFor(ctx: Context): EventPublisher {
  const { config, strategies } = ctx;
  switch (strategies.eventPublishing) {
    case 'event-bus':
      return new EventBridgePublisher(ctx.aws.eventBridge, config.eventBusName!);
    case 'none':
      return { publish: async () => undefined };
    case 'events-file':
      return handedIn(ctx.parts.eventsFile, 'eventsFile')(ctx);
  }
}

/**
 * The admin features' writes are audited: building one builds the event log that the HTTP pipeline
 * emits their audit events to (shared/runtime/event-hooks.ts), without the send side they never use.
 */
export function audited<T>(ctx: Context, service: T): T {
  buildEventLog(ctx);
  return service;
}

/**
 * The log without the send side, for a feature that emits but sends no code: the audited admin writes,
 * and delivery anywhere (gateway health emits its transitions to the log it finds in the context).
 */
export function buildEventLog(ctx: Context): EventLog {
  return eventLogOf(ctx).log;
}
