import type { DeliveryStatsSnapshot, GatewayCountryStats } from '../../ports/delivery-stats.ts';
import type { GatewayHealth } from '../../ports/gateway-health.ts';
import {
  effectiveMode,
  type RoutingMode,
  type RoutingSettings,
} from '../identity-stores/routing-settings.ts';

/**
 * Which linked gateway a message starts at, and why (api.md "Routing" with its exact rules): the send
 * plan's routing decision, pure. The facts come from a per-instance snapshot read with the store's
 * cached configuration, so choosing adds no round trip to the send.
 */

export type RouteChoice = 'country' | 'best-rate' | 'explore' | 'head' | 'failover' | 'reroute';

/** What `code.sent` and each challenge-history send carry: the mode, the reason and the rate it saw. */
export interface Route {
  mode: RoutingMode;
  choice: RouteChoice;
  /** The start gateway's conversion rate for the country, when it has one. */
  rate?: number;
}

/** Everything measured that routing decides on, and the draws it decides with (injected randomness). */
export interface RoutingFacts {
  stats: DeliveryStatsSnapshot;
  health: ReadonlyMap<string, GatewayHealth>;
  /** The deployment's `adaptiveRoutingAllowed`: when off, adaptive stores route in order. */
  adaptiveAllowed: boolean;
  /** Uniform draws in [0, 1): whether this send explores, and which other gateway it explores. */
  draw: { explore: number; pick: number };
  /** Price per segment in millionths the send would be estimated at on a gateway, for the number's country. */
  priceOf?: (gatewayId: string) => number;
}

/** No measurements: every gateway closed, no rate, no exploration (ordered behaviour). */
export const NO_ROUTING_FACTS: RoutingFacts = {
  stats: { asOf: 0, items: [] },
  health: new Map(),
  adaptiveAllowed: true,
  draw: { explore: 1, pick: 0 },
};

export interface RouteInput {
  routing: RoutingSettings;
  linked: readonly string[];
  /** The number's ISO country (stats and `byCountry` are keyed by it); undefined: non-geographic. */
  country: string | undefined;
  /** False for test numbers and relayed codes: they neither use nor feed the rates. */
  learns: boolean;
  facts: RoutingFacts;
  /** The store's own price per segment for the country (millionths): the tie-break when no gateway has one. */
  storePrice: number;
}

export interface RouteDecision {
  /** Gateways in the order they are tried: the start, then the order from the top without it. */
  gateways: string[];
  route: Route;
}

/** The key stats use for a number without an ISO country (`+882...`). */
export const UNKNOWN_COUNTRY = 'ZZ';

export function isOpen(health: ReadonlyMap<string, GatewayHealth>, gatewayId: string): boolean {
  return health.get(gatewayId)?.state === 'open';
}

/**
 * The order for a number of country C: `byCountry[C]` (linked ones), then the rest of the linked order;
 * open gateways go to the end (tried only when no other is left).
 */
export function countryOrder(
  routing: RoutingSettings,
  linked: readonly string[],
  country: string | undefined,
  health: ReadonlyMap<string, GatewayHealth>,
): { order: string[]; countryFirst: string[] } {
  const linkedSet = new Set(linked);
  const countryFirst = (country ? (routing.byCountry[country] ?? []) : []).filter((id) => linkedSet.has(id));
  const all = [...new Set([...countryFirst, ...linked])];
  const order = [...all.filter((id) => !isOpen(health, id)), ...all.filter((id) => isOpen(health, id))];
  return { order, countryFirst };
}

/** A (country, gateway) has a rate once it has `minSamples` accepted messages of the learned purposes. */
export function conversionRate(item: GatewayCountryStats | undefined, minSamples: number): number | null {
  if (!item || item.learnAccepted < minSamples || item.learnAccepted === 0) return null;
  return roundRate(item.learnApproved / item.learnAccepted);
}

/** Rates are shown and compared at 6 decimals, rounded half-up. */
export function roundRate(value: number): number {
  return Math.round(value * 1e6 + Number.EPSILON) / 1e6;
}

export function routeSend(input: RouteInput): RouteDecision {
  const { routing, facts } = input;
  const mode = effectiveMode(routing, facts.adaptiveAllowed);
  const { order, countryFirst } = countryOrder(routing, input.linked, input.country, facts.health);
  const ordered = (start: string | undefined): RouteChoice =>
    start !== undefined && countryFirst.includes(start) ? 'country' : 'head';
  if (mode === 'ordered' || !input.learns || order.length === 0) {
    return { gateways: order, route: { mode, choice: ordered(order[0]) } };
  }
  const candidates = order.filter((id) => !isOpen(facts.health, id));
  const country = input.country ?? UNKNOWN_COUNTRY;
  const rates = new Map<string, number>();
  for (const id of candidates) {
    const item = facts.stats.items.find((s) => s.country === country && s.gatewayId === id);
    const rate = conversionRate(item, routing.minSamples);
    if (rate !== null) rates.set(id, rate);
  }
  const price = (id: string) => facts.priceOf?.(id) ?? input.storePrice;
  // Ties: the lower price the send would be estimated at, then the order.
  const best = [...rates.keys()].sort(
    (a, b) => rates.get(b)! - rates.get(a)! || price(a) - price(b) || order.indexOf(a) - order.indexOf(b),
  )[0];
  let start = best ?? candidates[0] ?? order[0]!;
  let choice: RouteChoice = best ? 'best-rate' : ordered(start);
  const others = candidates.filter((id) => id !== start);
  if (others.length > 0 && facts.draw.explore < routing.explorePercent / 100) {
    start = others[Math.min(others.length - 1, Math.floor(facts.draw.pick * others.length))]!;
    choice = 'explore';
  }
  const rate = rates.get(start);
  return {
    gateways: [start, ...order.filter((id) => id !== start)],
    route: { mode, choice, ...(rate !== undefined ? { rate } : {}) },
  };
}

/** The route an attempt reports: the plan's at its start gateway, `failover` once delivery moved on. */
export function attemptRoute(plan: { gateways: readonly string[]; route: Route }, gatewayId: string): Route {
  return gatewayId === plan.gateways[0] || plan.gateways.length === 0
    ? plan.route
    : { mode: plan.route.mode, choice: 'failover' };
}
