import { UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import {
  HEALTH_BUCKET_MS,
  HEALTH_FLUSH_MS,
  HEALTH_STATE_KEPT_MS,
  HEALTH_WINDOW_MS,
  TRIAL_CLAIM_MS,
  bucketOf,
  transitionAfter,
  trialClaimable,
  windowCounts,
  type BucketCount,
  type GatewayHealthPort,
  type SharedBreakerRecord,
  type SharedTransition,
  type TransportOutcome,
} from '../../domain/gateways/gateway-breaker.ts';
import type { EventPort } from '../../ports/events.ts';
import type { GatewayHealth } from '../../ports/gateway-health.ts';
import type { Telemetry } from '../../ports/telemetry.ts';
import { conditionalUpdate } from './conditional-writes.ts';
import { bucketKey, GatewayHealthViews, partition, STATE_KEY } from './gateway-health-views.ts';

/** The metric counted once per opening (the `GatewayOpen` alarm watches it). */
export const GATEWAY_OPENED_METRIC = 'GatewayOpened';

const ttlOf = (ms: number) => Math.ceil(ms / 1000);

/**
 * Gateway health shared by every function instance (api.md "Deployed the state is shared by every
 * function instance within 5 seconds"), on the table: `GWHEALTH#<gateway>` holds per-bucket counters
 * (`B#<bucket>`, with a TTL) and one `STATE` item (opened, trial claimed, closed). The rules are the
 * domain's (gateway-breaker.ts); this translates them into reads and conditional writes.
 *
 * - Sends read a per-instance view, read again once it is 5 s old: the routing facts start that read
 *   beside the send's write and the delivery waits for it before choosing (sms-delivery.ts), so the
 *   gateways a send tries are judged on a view at most 5 s old and no round trip is added. The admin
 *   routes wait for a stale view's read; where nothing records (a deployed admin function) they build
 *   the views alone (gateway-health-views.ts, which this adapter builds on).
 * - Outcomes are written after the provider answered, through the side-path client, never awaited by
 *   the answer. Successes are handed over at most every 5 s per instance (one hot item per gateway
 *   would otherwise take every send of every store); a failure goes at once, then the window is read
 *   and, when it opens the gateway, the open state is written under a condition: one instance wins and
 *   emits `gateway.opened`.
 * - A half-open gateway's one trial is a conditional claim on the state item (the one round trip a
 *   send may spend here, only while its view says half-open and unclaimed); its claimer's outcome
 *   closes or reopens it under a condition naming the claim, so `gateway.closed` is emitted once.
 */
export class GatewayHealthTable implements GatewayHealthPort {
  private readonly views: GatewayHealthViews;
  /** This instance's outcomes not yet added to the shared buckets. */
  private readonly pending = new Map<string, Map<number, BucketCount>>();
  private readonly flushedAt = new Map<string, number>();
  /** The trials this instance claimed: the state it claimed them in. */
  private readonly trials = new Map<string, { openedAt: number; claimedAt: number }>();

  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly deps: { events: EventPort; telemetry: Telemetry },
  ) {
    this.views = new GatewayHealthViews(client, tableName, deps.telemetry);
  }

  health(
    gatewayIds: readonly string[],
    now: number,
    options: { wait?: 'read' | 'in-flight' } = {},
  ): Promise<Map<string, GatewayHealth>> {
    // With this instance's outcomes not yet handed over.
    return this.views.healthWith(gatewayIds, now, options, (id) => [
      ...(this.pending.get(id)?.values() ?? []),
    ]);
  }

  record(gatewayId: string, outcome: TransportOutcome, now: number): Promise<void> {
    return this.views.track(this.recorded(gatewayId, outcome, now));
  }

  async claimTrial(gatewayId: string, now: number): Promise<boolean> {
    const view = this.views.view(gatewayId);
    const { openedAt } = view.record;
    if (openedAt === undefined || !trialClaimable(view.record, now)) return false;
    const claimed = await conditionalUpdate(this.client, {
      TableName: this.tableName,
      Key: { pk: partition(gatewayId), sk: STATE_KEY },
      UpdateExpression: 'SET trialClaimedAt = :now, #ttl = :ttl',
      ConditionExpression:
        'openedAt = :openedAt AND (attribute_not_exists(trialClaimedAt) OR trialClaimedAt <= :stale)',
      ExpressionAttributeNames: { '#ttl': 'ttl' },
      ExpressionAttributeValues: {
        ':now': now,
        ':openedAt': openedAt,
        ':stale': now - TRIAL_CLAIM_MS,
        ':ttl': ttlOf(now + HEALTH_STATE_KEPT_MS),
      },
    });
    // Won or lost, the trial is taken: this instance asks no more until its view says otherwise.
    view.record = { ...view.record, trialClaimedAt: now };
    if (claimed) this.trials.set(gatewayId, { openedAt, claimedAt: now });
    return claimed;
  }

  /** Tests: until the outcomes recorded and the reads started so far are written and read. */
  settled(): Promise<void> {
    return this.views.settled();
  }

  private async recorded(gatewayId: string, outcome: TransportOutcome, now: number): Promise<void> {
    const counts = this.pending.get(gatewayId) ?? new Map<number, BucketCount>();
    this.pending.set(gatewayId, counts);
    const bucket = bucketOf(now);
    const count = counts.get(bucket) ?? { bucket, attempts: 0, failures: 0 };
    count.attempts += 1;
    if (outcome === 'failure') count.failures += 1;
    counts.set(bucket, count);

    const trial = this.trials.get(gatewayId);
    this.trials.delete(gatewayId);
    const due = now - (this.flushedAt.get(gatewayId) ?? -Infinity) >= HEALTH_FLUSH_MS;
    if (outcome === 'success' && !trial && !due) return;
    await this.flush(gatewayId, now);
    if (outcome === 'success' && !trial) return;

    let record: SharedBreakerRecord;
    let window: { failures: number; attempts: number };
    if (trial) {
      record = { openedAt: trial.openedAt, trialClaimedAt: trial.claimedAt };
      window = windowCounts(this.views.view(gatewayId).record, this.views.view(gatewayId).buckets, now);
    } else {
      // A failure may open it: judged on the shared window as it is now.
      await this.views.read(gatewayId, now);
      record = this.views.view(gatewayId).record;
      window = windowCounts(record, this.views.view(gatewayId).buckets, now);
    }
    const transition = transitionAfter({ record, counts: window, outcome, ownTrial: trial !== undefined });
    if (transition) await this.change(gatewayId, transition, record, window, now);
  }

  /** Adds this instance's pending outcomes to the shared buckets (one update per bucket). */
  private async flush(gatewayId: string, now: number): Promise<void> {
    const counts = this.pending.get(gatewayId);
    this.flushedAt.set(gatewayId, now);
    if (!counts || counts.size === 0) return;
    this.pending.delete(gatewayId);
    const view = this.views.view(gatewayId);
    await Promise.all(
      [...counts.values()].map(async (count) => {
        await this.client.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: { pk: partition(gatewayId), sk: bucketKey(count.bucket) },
            UpdateExpression: 'SET #ttl = :ttl ADD attempts :attempts, failures :failures',
            ExpressionAttributeNames: { '#ttl': 'ttl' },
            ExpressionAttributeValues: {
              ':attempts': count.attempts,
              ':failures': count.failures,
              ':ttl': ttlOf((count.bucket + 1) * HEALTH_BUCKET_MS + 2 * HEALTH_WINDOW_MS),
            },
          }),
        );
        // Until the next read, the view holds what this instance handed over.
        view.buckets.push(count);
      }),
    );
  }

  /** Writes a state change under the condition that the state is still the one it was decided on. */
  private async change(
    gatewayId: string,
    transition: NonNullable<SharedTransition>,
    record: SharedBreakerRecord,
    window: { failures: number; attempts: number },
    now: number,
  ): Promise<void> {
    const names = { '#ttl': 'ttl' };
    const kept = ttlOf(now + HEALTH_STATE_KEPT_MS);
    const sameTrial = {
      ConditionExpression: 'openedAt = :openedAt AND trialClaimedAt = :claimedAt',
      values: { ':openedAt': record.openedAt, ':claimedAt': record.trialClaimedAt },
    };
    const input =
      transition === 'open'
        ? {
            UpdateExpression: 'SET openedAt = :now, #ttl = :ttl REMOVE trialClaimedAt',
            ConditionExpression: 'attribute_not_exists(openedAt)',
            values: {},
          }
        : transition === 'reopen'
          ? { UpdateExpression: 'SET openedAt = :now, #ttl = :ttl REMOVE trialClaimedAt', ...sameTrial }
          : {
              UpdateExpression: 'SET closedAt = :now, #ttl = :ttl REMOVE openedAt, trialClaimedAt',
              ...sameTrial,
            };
    const won = await conditionalUpdate(this.client, {
      TableName: this.tableName,
      Key: { pk: partition(gatewayId), sk: STATE_KEY },
      UpdateExpression: input.UpdateExpression,
      ConditionExpression: input.ConditionExpression,
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: { ':now': now, ':ttl': kept, ...input.values },
    });
    if (!won) {
      // Another instance changed it first: its view is read again on the next look.
      this.views.view(gatewayId).at = 0;
      return;
    }
    const view = this.views.view(gatewayId);
    if (transition === 'close') {
      view.record = { closedAt: now };
      this.deps.events.emit('gateway.closed', {
        gatewayId,
        ...window,
        openedAt: new Date(record.openedAt!).toISOString(),
      });
      return;
    }
    const { closedAt } = view.record;
    view.record = { ...(closedAt !== undefined ? { closedAt } : {}), openedAt: now };
    this.deps.telemetry.count(GATEWAY_OPENED_METRIC, { gatewayId });
    this.deps.events.emit('gateway.opened', {
      gatewayId,
      ...window,
      openedAt: new Date(now).toISOString(),
    });
  }
}
