import type { Clock } from '../../ports/clock.ts';
import type { DeliveryStats, DeliveryStatsSnapshot } from '../../ports/delivery-stats.ts';
import type { GatewayHealthView } from '../../ports/gateway-health.ts';
import type { Random } from '../../ports/random.ts';
import { linkedGatewayIds, type IdentityStore } from '../identity-stores/identity-store.ts';
import { effectiveMode, routingOf } from '../identity-stores/routing-settings.ts';
import type { RoutingFacts } from './route-choice.ts';

/** The resolution of each exploration draw. */
const DRAW_RANGE = 1_000_000;

const NOTHING_MEASURED: DeliveryStatsSnapshot = { asOf: 0, items: [] };

/** Where a send plan's routing facts come from (the issuer and the relay ask before planning). */
export interface RoutingFactsSource {
  facts(store: IdentityStore, now: number): Promise<RoutingFacts>;
}

/**
 * Reads the facts a send is routed on: the store's rates (adaptive stores only) and its gateways'
 * health, both per-instance snapshots (rates at most 60 s old, health 5 s), so this adds no round trip to
 * the send. Exploration draws come from their own generator (locally `ROUTING_SEED`), drawn only for
 * adaptive stores.
 */
export class RoutingFactsReader implements RoutingFactsSource {
  constructor(
    private readonly deps: {
      stats: DeliveryStats;
      health: GatewayHealthView;
      random: Random;
      adaptiveAllowed: boolean;
      clock: Clock;
    },
  ) {}

  async facts(store: IdentityStore, now: number): Promise<RoutingFacts> {
    const routing = routingOf(store);
    const adaptive = effectiveMode(routing, this.deps.adaptiveAllowed) === 'adaptive';
    const query = { windowHours: routing.windowHours, learnFrom: routing.learnFrom, now };
    const [stats, health] = await Promise.all([
      adaptive ? this.deps.stats.snapshot(store.id, query) : NOTHING_MEASURED,
      this.deps.health.health(linkedGatewayIds(store), now),
    ]);
    const { random } = this.deps;
    return {
      stats,
      health,
      adaptiveAllowed: this.deps.adaptiveAllowed,
      draw: adaptive
        ? { explore: random.int(DRAW_RANGE) / DRAW_RANGE, pick: random.int(DRAW_RANGE) / DRAW_RANGE }
        : { explore: 1, pick: 0 },
    };
  }
}
