import { QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import {
  HEALTH_SNAPSHOT_MAX_AGE_MS,
  firstCountedBucket,
  sharedHealthOf,
  type BucketCount,
  type SharedBreakerRecord,
} from '../../domain/gateways/gateway-breaker.ts';
import { SIDE_EFFECT_FAILED } from '../../domain/side-effects.ts';
import type { GatewayHealth, GatewayHealthView } from '../../ports/gateway-health.ts';
import type { Telemetry } from '../../ports/telemetry.ts';
import { GATEWAY_HEALTH_PREFIX } from './key-prefixes.ts';

export const partition = (gatewayId: string) => `${GATEWAY_HEALTH_PREFIX}${gatewayId}`;
/** Buckets sort as text before `STATE`: one Query reads the window's buckets and the state. */
export const bucketKey = (bucket: number) => `B#${String(bucket).padStart(14, '0')}`;
export const STATE_KEY = 'STATE';

export interface View {
  /** Epoch ms the view was read at (0: never). */
  at: number;
  record: SharedBreakerRecord;
  buckets: BucketCount[];
  reading?: Promise<void>;
}

/**
 * The read side of the shared gateway health (gateway-health-table.ts has the layout and the rules):
 * one instance's views, each read again (one Query) once it is 5 s old. The gateway admin routes, which
 * only show health, build this alone; the sending table adapter builds on it, adding its own outcomes
 * not yet handed over.
 */
export class GatewayHealthViews implements GatewayHealthView {
  private readonly views = new Map<string, View>();
  private readonly work = new Set<Promise<unknown>>();

  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly telemetry: Telemetry,
  ) {}

  health(
    gatewayIds: readonly string[],
    now: number,
    options: { wait?: 'read' | 'in-flight' } = {},
  ): Promise<Map<string, GatewayHealth>> {
    return this.healthWith(gatewayIds, now, options, () => []);
  }

  /** `own`: outcomes the caller counted and has not handed over yet. */
  async healthWith(
    gatewayIds: readonly string[],
    now: number,
    options: { wait?: 'read' | 'in-flight' },
    own: (gatewayId: string) => BucketCount[],
  ): Promise<Map<string, GatewayHealth>> {
    const running = gatewayIds.map((id) => this.view(id).reading);
    const reads = gatewayIds.map((id) => this.refreshed(id, now));
    if (options.wait === 'read') await Promise.all(reads);
    if (options.wait === 'in-flight') await Promise.all(running);
    return new Map(
      gatewayIds.map((id) => {
        const view = this.view(id);
        return [id, sharedHealthOf(view.record, [...view.buckets, ...own(id)], now)];
      }),
    );
  }

  view(gatewayId: string): View {
    let view = this.views.get(gatewayId);
    if (!view) {
      view = { at: 0, record: {}, buckets: [] };
      this.views.set(gatewayId, view);
    }
    return view;
  }

  /** The view's read, started when it is 5 s old (one at a time); resolves once it is fresh. */
  refreshed(gatewayId: string, now: number): Promise<void> {
    const view = this.view(gatewayId);
    if (!view.reading && now - view.at >= HEALTH_SNAPSHOT_MAX_AGE_MS) {
      view.reading = this.track(
        // A read alone: one round trip, so that a send waiting for it waits no longer than its write.
        this.read(gatewayId, now).finally(() => {
          view.reading = undefined;
        }),
      );
    }
    return view.reading ?? Promise.resolve();
  }

  /** The window's buckets and the state: one Query. */
  async read(gatewayId: string, now: number): Promise<void> {
    const view = this.view(gatewayId);
    const page = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
        ExpressionAttributeValues: {
          ':pk': partition(gatewayId),
          ':from': bucketKey(firstCountedBucket({}, now)),
          ':to': STATE_KEY,
        },
        ConsistentRead: true,
      }),
    );
    const record: SharedBreakerRecord = {};
    const buckets: BucketCount[] = [];
    for (const item of page.Items ?? []) {
      if (item.sk === STATE_KEY) {
        if (typeof item.openedAt === 'number') record.openedAt = item.openedAt;
        if (typeof item.trialClaimedAt === 'number') record.trialClaimedAt = item.trialClaimedAt;
        if (typeof item.closedAt === 'number') record.closedAt = item.closedAt;
      } else if (typeof item.sk === 'string') {
        buckets.push({
          bucket: Number(item.sk.slice(2)),
          attempts: Number(item.attempts ?? 0),
          failures: Number(item.failures ?? 0),
        });
      }
    }
    Object.assign(view, { at: now, record, buckets });
  }

  /** Tests: until the work tracked so far (reads, and the table adapter's writes) has ended. */
  async settled(): Promise<void> {
    while (this.work.size > 0) await Promise.all([...this.work]);
  }

  /** Beside the sends: a failure is counted and logged (`SideEffectFailed`), never thrown. */
  track(task: Promise<void>): Promise<void> {
    const tracked = task.catch((error: unknown) => {
      // Local mode keeps health in-process, so this kind has no FAULTS switch of its own.
      this.telemetry.count(SIDE_EFFECT_FAILED, { kind: 'gateway-health' });
      this.telemetry.warn('side effect failed; the answer stands', {
        kind: 'gateway-health',
        error: error instanceof Error ? error.name : 'unknown',
      });
    });
    this.work.add(tracked);
    void tracked.finally(() => this.work.delete(tracked));
    return tracked;
  }
}
