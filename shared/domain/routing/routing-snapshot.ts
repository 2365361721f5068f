import type { Clock } from '../../ports/clock.ts';
import type { DeliveryStats } from '../../ports/delivery-stats.ts';
import type { GatewayHealth, GatewayHealthView } from '../../ports/gateway-health.ts';
import { found } from '../errors.ts';
import { linkedGatewayIds, type IdentityStore } from '../identity-stores/identity-store.ts';
import { routingOf } from '../identity-stores/routing-settings.ts';
import { conversionRate } from '../sending/route-choice.ts';

export interface RoutingSnapshotItem {
  country: string;
  gatewayId: string;
  /** Accepted messages of the `learnFrom` purposes within the window. */
  accepted: number;
  /** Approvals credited to the gateway, same purposes and window. */
  approved: number;
  /** Null below `minSamples`. */
  rate: number | null;
  health: GatewayHealth;
}

export interface RoutingSnapshotView {
  items: RoutingSnapshotItem[];
  asOf: string;
}

/**
 * `GET /admin/identity-stores/{storeId}/routing`: the snapshot the sends use, one item per (country,
 * linked gateway) with a counted message.
 */
export class RoutingSnapshot {
  constructor(
    private readonly deps: {
      stores: { get(id: string): Promise<IdentityStore | undefined> };
      stats: DeliveryStats;
      health: GatewayHealthView;
      clock: Clock;
    },
  ) {}

  async get(storeId: string): Promise<RoutingSnapshotView> {
    const store = found(await this.deps.stores.get(storeId), 'The identity store');
    const routing = routingOf(store);
    const linked = linkedGatewayIds(store);
    const now = this.deps.clock.now().getTime();
    const [stats, health] = await Promise.all([
      this.deps.stats.snapshot(store.id, {
        windowHours: routing.windowHours,
        learnFrom: routing.learnFrom,
        now,
      }),
      // The admin route shows the state as it is, not a view a cold instance has not read yet.
      this.deps.health.health(linked, now, { wait: 'read' }),
    ]);
    const items = stats.items
      .filter((item) => linked.includes(item.gatewayId) && item.learnAccepted > 0)
      .map((item) => ({
        country: item.country,
        gatewayId: item.gatewayId,
        accepted: item.learnAccepted,
        approved: item.learnApproved,
        rate: conversionRate(item, routing.minSamples),
        health: health.get(item.gatewayId) ?? { state: 'closed' as const, failures: 0, attempts: 0 },
      }));
    return { items, asOf: new Date(stats.asOf || now).toISOString() };
  }
}
