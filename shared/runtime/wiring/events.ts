import { SendHistoryTable } from '../../adapters/dynamodb/send-history-table.ts';
import { EventBridgePublisher } from '../../adapters/events/eventbridge-publisher.ts';
import { ExpiryWatch } from '../../adapters/events/expiry-watch.ts';
import {
  failingPublisher,
  failingSendWrites,
  refusingGuard,
} from '../../adapters/faults/side-path-faults.ts';
import { realScheduler } from '../../adapters/webhooks/local-webhook-dispatcher.ts';
import { SendRecorder } from '../../domain/deliveries/send-recorder.ts';
import { EventLog } from '../../domain/events/event-log.ts';
import type { EventPublisher } from '../../ports/events.ts';
import { EVENTS, feature, type Context } from '../context.ts';
import { watchDeadlinesOnQueue } from './deadline-watch.ts';

export interface Events {
  log: EventLog;
}

/** The event log every feature emits to, its publisher (by strategy) and the send records beside `code.sent`. */
export const events = /* @__PURE__ */ feature(EVENTS, (ctx: Context): Events => {
  const { config, clock, telemetry, strategies, parts } = ctx;
  const now = () => clock.now().getTime();
  const recorder = new SendRecorder(
    config.faults.has('event-publish') ? failingPublisher : publisherFor(ctx),
    failingSendWrites(new SendHistoryTable(ctx.sidePathDocuments(), config.tableName, now), config.faults),
    telemetry,
    strategies.approvalUncount,
  );
  const publisher = fed(ctx, deadlineWatched(ctx, recorder));
  const watch =
    strategies.expiryReports === 'in-process-watch' ? new ExpiryWatch(publisher, clock) : undefined;
  const log = new EventLog(watch ?? publisher, clock, ctx.random, telemetry, {
    guard: config.faults.has('event-guard') ? refusingGuard : undefined,
    wait: parts.webhookScheduler ?? realScheduler,
  });
  // Local mode's context hands the report in (wiring/expiry-reports.ts), which no deployed route bundles.
  const report = parts.expiryReport;
  if (watch && report) watch.reportWith((challengeId) => report(ctx).run(challengeId));
  return { log };
});

/**
 * Each accepted message of a store with a delivery deadline gets its reroute job: deployed on the SQS
 * delay queue; locally on timers that come from the local context (local/local-context.ts), so no
 * deployed function bundles them.
 */
function deadlineWatched(ctx: Context, inner: EventPublisher): EventPublisher {
  switch (ctx.strategies.rerouteJobs) {
    case 'timers':
      return handedIn(ctx.parts.deadlineWatch, 'deadlineWatch')(ctx, inner);
    case 'queue':
      return watchDeadlinesOnQueue(ctx, inner);
    case 'unavailable':
      return inner;
  }
}

/**
 * Locally the routing statistics and the usage ledger count each event in-process; deployed the table
 * stream does, and the functions that publish bundle neither.
 */
function fed(ctx: Context, inner: EventPublisher): EventPublisher {
  switch (ctx.strategies.eventFeeds) {
    case 'in-process':
      return handedIn(ctx.parts.eventFeeds, 'eventFeeds')(ctx, inner);
    case 'table-stream':
      return inner;
  }
}

function handedIn<T>(part: T | undefined, name: string): T {
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
 * emits their audit events to (shared/runtime/event-hooks.ts).
 */
export function audited<T>(ctx: Context, service: T): T {
  events(ctx);
  return service;
}
