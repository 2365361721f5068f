import { SendHistoryTable } from '../../adapters/dynamodb/send-history-table.ts';
import { ExpiryWatch } from '../../adapters/events/expiry-watch.ts';
import { failingSendWrites } from '../../adapters/faults/side-path-faults.ts';
import { SendRecorder } from '../../domain/deliveries/send-recorder.ts';
import type { EventPublisher } from '../../ports/events.ts';
import { feature, type Context } from '../context.ts';
import { watchDeadlinesOnQueue } from './deadline-watch.ts';
import { type Events, SEND_SIDE, eventLogOf, fed, handedIn, rawPublisher } from './event-publishing.ts';

/**
 * The event log every feature emits to, with the send side of its publisher: the send records beside
 * `code.sent` (and a challenge's ending), failover's deadline watch and, locally, the expiry watch.
 * What sends, verifies or reports builds this one.
 */
export const events = /* @__PURE__ */ feature('events with their send side', (ctx: Context): Events => {
  ctx.once(SEND_SIDE, () => sendSide(ctx));
  return eventLogOf(ctx);
});

function sendSide(ctx: Context): EventPublisher {
  const { config, clock, telemetry, strategies, parts } = ctx;
  const now = () => clock.now().getTime();
  const recorder = new SendRecorder(
    rawPublisher(ctx),
    failingSendWrites(new SendHistoryTable(ctx.sidePathDocuments(), config.tableName, now), config.faults),
    telemetry,
    strategies.approvalUncount,
  );
  const publisher = fed(ctx, deadlineWatched(ctx, recorder));
  if (strategies.expiryReports !== 'in-process-watch') return publisher;
  const watch = new ExpiryWatch(publisher, clock);
  // Local mode's context hands the report in (wiring/expiry-reports.ts), which no deployed route bundles.
  const report = parts.expiryReport;
  if (report) watch.reportWith((challengeId) => report(ctx).run(challengeId));
  return watch;
}

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
