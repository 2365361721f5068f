import type { RuntimeConfig } from './config.ts';

/**
 * Where local mode and a deployed function differ, each difference named once and chosen here, from the
 * configuration; the feature wirings build what the name says and never test `localMode` themselves.
 * Local mode is one process serving every route, with no stream, queue, bus or second function.
 */
export interface Strategies {
  /** A replaced number's notice: `lambda`, an asynchronous invoke of the notifier; `in-process`, sent at once. */
  replacementNotice: 'lambda' | 'in-process';
  /** A deleted store's items: `stream`, the table's stream runs the sweeper; `in-request`, swept before the answer. */
  storeCleanup: 'stream' | 'in-request';
  /**
   * The second pass of a deleted store's sweep: `queue`, a delayed message the sweeper reads back;
   * `after-in-flight`, once the local requests in flight have answered; `unavailable`, a configuration error.
   */
  sweepAgain: 'queue' | 'after-in-flight' | 'unavailable';
  /**
   * Events: `event-bus` (a rule on it feeds the webhook queue); `events-file`, `events.jsonl` then the
   * in-process webhook dispatcher (`parts.eventsFile`, handed in by local/local-context.ts); `none`, a
   * deployed function without a bus.
   */
  eventPublishing: 'event-bus' | 'events-file' | 'none';
  /**
   * What counts each published event into the usage ledger and routing's statistics: `table-stream`
   * (deployed: the stream aggregates function reads the table's stream, no request does); `in-process`
   * (local mode: `parts.eventFeeds`, handed in by local/local-context.ts, wraps the publisher).
   */
  eventFeeds: 'table-stream' | 'in-process';
  /** Expiry reports: `schedules` (the expiry functions), `in-process-watch` (a timer per challenge), or `none`. */
  expiryReports: 'schedules' | 'in-process-watch' | 'none';
  /**
   * Who takes an approved challenge's sends off the fraud guard's unverified counts. `inline` (local mode,
   * before the verify answer, api.md): the verify does, in a round after its write. `deferred` (deployed):
   * the `challenge.approved` event's consumer does (functions/approval-uncount/event.ts), so a verify
   * stays one round trip.
   */
  approvalUncount: 'inline' | 'deferred';
  /**
   * Delivery-failover jobs (issue 26), armed by the event publisher for each accepted message of a store
   * with a deadline (wiring/deadline-watch.ts) and by a failed receipt: `queue`, a message on the SQS
   * delay queue that the reroute worker reads at the deadline (a restart loses none; a function that only
   * publishes bundles the queue adapter alone); `timers`, a timer in the local server (`parts.deadlineWatch`,
   * handed in by local/local-context.ts, so no deployed function bundles failover's wiring); `unavailable`,
   * a deployed function without the queue: its publisher arms no job, and a job it is asked to arm is
   * counted as `RerouteJobFailed`.
   */
  rerouteJobs: 'queue' | 'timers' | 'unavailable';
  /** The console gateway's messages: `print`ed to the terminal as well as the outbox file, or `quiet`. */
  outbox: 'print' | 'quiet';
  /** Outbound HTTP (providers, webhooks) to loopback: `allowed` for local fakes, `refused` deployed. */
  loopback: 'allowed' | 'refused';
  /** The actor of an admin audit event when the request carries no IAM principal. */
  defaultActor: 'local-admin' | 'unknown';
  /**
   * Gateway health: `in-process` (local mode: the server is the only instance), or `table`, shared by
   * every function instance through the table (per-instance snapshots at most 5 s old).
   */
  gatewayHealth: 'in-process' | 'table';
}

export function chooseStrategies(
  config: RuntimeConfig,
  chosen: {
    approvalUncount?: Strategies['approvalUncount'];
    gatewayHealth?: Strategies['gatewayHealth'];
  } = {},
): Strategies {
  const local = config.localMode;
  return {
    replacementNotice: config.notifierFunctionName ? 'lambda' : 'in-process',
    storeCleanup: local ? 'in-request' : 'stream',
    sweepAgain: config.sweepAgainQueueUrl ? 'queue' : local ? 'after-in-flight' : 'unavailable',
    eventPublishing: config.eventBusName ? 'event-bus' : local ? 'events-file' : 'none',
    eventFeeds: local ? 'in-process' : 'table-stream',
    expiryReports: config.expirySchedules
      ? 'schedules'
      : local && !config.eventBusName
        ? 'in-process-watch'
        : 'none',
    rerouteJobs: config.rerouteQueueUrl ? 'queue' : local ? 'timers' : 'unavailable',
    approvalUncount: chosen.approvalUncount ?? (local ? 'inline' : 'deferred'),
    outbox: local ? 'print' : 'quiet',
    loopback: local ? 'allowed' : 'refused',
    defaultActor: local ? 'local-admin' : 'unknown',
    gatewayHealth: chosen.gatewayHealth ?? (local ? 'in-process' : 'table'),
  };
}
