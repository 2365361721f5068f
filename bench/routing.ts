import { DEFAULT_ROUTING, type RoutingSettings } from '../shared/domain/identity-stores/routing-settings.ts';
import { gatewaysAfter } from '../shared/domain/deliveries/reroute-code.ts';
import type { IdentityStore } from '../shared/domain/identity-stores/identity-store.ts';
import {
  hourOf,
  snapshotOf,
  usuallyDelivers,
  type CountRow,
  type Count,
} from '../shared/domain/routing/delivery-counts.ts';
import { NO_ROUTING_FACTS, routeSend } from '../shared/domain/sending/route-choice.ts';
import { seededRandom, type Random } from '../shared/ports/random.ts';

/**
 * The routing simulation (issue 26): sign-ins through two fake providers whose delivery probability and
 * price differ per country, decided by the domain's own `routeSend` over the domain's hourly counters
 * (in-process: the local mode's feed). Same seeds for `ordered` and `adaptive`, each without and with
 * delivery failover: a message that gets no `delivered` receipt within the deadline is rerouted through
 * the next gateway of the order when the domain's rule allows (`usuallyDelivers`, `gatewaysAfter`).
 * Without one, a user whose code never arrives asks for one resend after 60 s, routed like any send.
 */

interface Provider {
  delivery: number;
  /** Price per segment in millionths. */
  price: number;
}

/** Per country, the gateway id -> its quality; `a` leads the linked order. */
type Market = Record<string, Record<'a' | 'b', Provider>>;

const MARKET: Market = {
  GB: { a: { delivery: 0.55, price: 40_000 }, b: { delivery: 0.93, price: 45_000 } },
  DE: { a: { delivery: 0.94, price: 70_000 }, b: { delivery: 0.6, price: 65_000 } },
};
/** The same market with the providers' quality swapped (a carrier problem moves). */
const FLIPPED: Market = Object.fromEntries(
  Object.entries(MARKET).map(([c, { a, b }]) => [
    c,
    { a: { ...a, delivery: b.delivery }, b: { ...b, delivery: a.delivery } },
  ]),
);

const SECONDS_BETWEEN_SIGN_INS = 20;
/** A delivered code is entered this often (the rest abandon). */
const ENTERED = 0.97;
const RESEND_AFTER_S = 60;
/** `routing.deliveryDeadlineSeconds` of the failover runs. */
const DEADLINE_S = 20;
/** The simulated store: two linked gateways, `a` first. */
const STORE = {
  smsAuth: { gatewayId: 'a', fallbackGatewayIds: ['b'] },
  routing: {},
} as unknown as IdentityStore;

export interface RoutingRun {
  mode: 'ordered' | 'adaptive';
  failover: boolean;
  /** Deadline reroutes made. */
  rerouted: number;
  signIns: number;
  conversion: number;
  medianSecondsToVerify: number;
  costPerApproval: number;
  /** Sends per country until the non-exploring choice settled on the better provider (adaptive only). */
  sendsToMove?: Record<string, number | null>;
  /** Sends per country after the flip until it settled on the newly better provider. */
  sendsToMoveBack?: Record<string, number | null>;
}

export interface RoutingBench {
  seeds: number[];
  signInsPerRun: number;
  windowHours: number[];
  runs: (RoutingRun & { windowHours: number; seed: number })[];
}

function simulate(
  mode: 'ordered' | 'adaptive',
  failover: boolean,
  seed: number,
  signIns: number,
  windowHours: number,
): RoutingRun {
  const random: Random = seededRandom(seed);
  const uniform = () => random.int(1_000_000) / 1_000_000;
  const routing: RoutingSettings = { ...DEFAULT_ROUTING, mode, minSamples: 20, windowHours };
  const rows = new Map<string, CountRow>();
  const count = (hour: number, country: string, gatewayId: string, field: Count) => {
    const key = `${hour}#${country}#${gatewayId}`;
    const row = rows.get(key) ?? {
      hour,
      country,
      gatewayId,
      purpose: 'authenticate',
      accepted: 0,
      delivered: 0,
      failed: 0,
      approved: 0,
    };
    row[field] += 1;
    rows.set(key, row);
  };
  const countries = Object.keys(MARKET);
  const choices: Record<string, { at: number; best: string | undefined; better: string }[]> = {};
  let approved = 0;
  let cost = 0;
  let rerouted = 0;
  const times: number[] = [];
  const flipAt = Math.floor(signIns / 2);
  for (let i = 0; i < signIns; i++) {
    const now = Date.UTC(2026, 11, 1) + i * SECONDS_BETWEEN_SIGN_INS * 1000;
    const market = i < flipAt ? MARKET : FLIPPED;
    const country = countries[i % countries.length]!;
    const better = market[country]!.a.delivery > market[country]!.b.delivery ? 'a' : 'b';
    let seconds = 0;
    for (let send = 0; send < 2; send++) {
      const stats = snapshotOf(rows.values(), { windowHours, learnFrom: ['authenticate'], now });
      const facts = { ...NO_ROUTING_FACTS, stats, draw: { explore: uniform(), pick: uniform() } };
      const input = { routing, linked: ['a', 'b'], country, learns: true, storePrice: 50_000 };
      const { gateways } = routeSend({
        ...input,
        facts: { ...facts, priceOf: (id) => market[country]![id as 'a' | 'b'].price },
      });
      const exploit = routeSend({ ...input, facts: { ...facts, draw: { explore: 1, pick: 0 } } });
      (choices[country] ??= []).push({
        at: i,
        best: exploit.route.choice === 'best-rate' ? exploit.gateways[0] : undefined,
        better,
      });
      // The message, and with failover its one reroute after the deadline (a new code of the challenge).
      let gatewayId = gateways[0] as 'a' | 'b';
      let delivered = false;
      for (let message = 0; message < 2 && !delivered; message++) {
        const provider = market[country]![gatewayId];
        cost += provider.price;
        count(hourOf(now), country, gatewayId, 'accepted');
        delivered = uniform() < provider.delivery;
        if (delivered) count(hourOf(now), country, gatewayId, 'delivered');
        if (delivered || !failover) break;
        const judged = snapshotOf(rows.values(), { windowHours, learnFrom: [], now: now + seconds * 1000 });
        const item = judged.items.find((x) => x.country === country && x.gatewayId === gatewayId);
        const next = gatewaysAfter(STORE, country, gatewayId)[0] as 'a' | 'b' | undefined;
        if (!next || !usuallyDelivers(item, routing.minSamples)) break;
        rerouted++;
        seconds += DEADLINE_S;
        gatewayId = next;
      }
      if (delivered && uniform() < ENTERED) {
        count(hourOf(now), country, gatewayId, 'approved');
        approved++;
        times.push(seconds + 5 + Math.round(10 + uniform() * 20));
        break;
      }
      if (delivered) break;
      seconds += RESEND_AFTER_S;
    }
  }
  const settled = (from: number) =>
    Object.fromEntries(
      countries.map((country) => {
        const list = (choices[country] ?? []).filter((c) => c.at >= from && (from > 0 || c.at < flipAt));
        // The first send from which every later non-exploring choice is the better provider.
        let last = -1;
        list.forEach((c, index) => {
          if (c.best !== c.better) last = index;
        });
        return [country, last + 1 < list.length ? last + 1 : null];
      }),
    );
  times.sort((x, y) => x - y);
  return {
    mode,
    failover,
    rerouted,
    signIns,
    conversion: Math.round((approved / signIns) * 1000) / 1000,
    medianSecondsToVerify: times[Math.floor(times.length / 2)] ?? 0,
    costPerApproval: Math.round(cost / Math.max(1, approved)) / 1_000_000,
    ...(mode === 'adaptive' ? { sendsToMove: settled(0), sendsToMoveBack: settled(flipAt) } : {}),
  };
}

export function benchRouting(): RoutingBench {
  const seeds = [1, 2, 3];
  const signInsPerRun = 8_000;
  const windows = [24, 3];
  const runs = windows.flatMap((windowHours) =>
    seeds.flatMap((seed) =>
      (['ordered', 'adaptive'] as const).flatMap((mode) =>
        [false, true].map((failover) => ({
          ...simulate(mode, failover, seed, signInsPerRun, windowHours),
          windowHours,
          seed,
        })),
      ),
    ),
  );
  return { seeds, signInsPerRun, windowHours: windows, runs };
}

/** The comparison as a Markdown section. */
export function renderRouting(bench: RoutingBench | undefined): string[] {
  if (!bench) return [];
  const moved = (value: Record<string, number | null> | undefined) =>
    value
      ? Object.entries(value)
          .map(([c, n]) => `${c} ${n ?? 'never'}`)
          .join(', ')
      : '';
  return [
    '## Routing (ordered vs adaptive)',
    '',
    `${bench.signInsPerRun} sign-ins per run, one every ${SECONDS_BETWEEN_SIGN_INS} s, alternating GB and DE; ` +
      `two fake providers with seeded delivery probabilities (GB: a 55%, b 93%; DE: a 94%, b 60%) and ` +
      'prices; the providers swap quality halfway. A delivered code is entered 97% of the time; an ' +
      `undelivered one is resent by the user after ${RESEND_AFTER_S} s. With failover, a message without a ` +
      `delivered receipt after ${DEADLINE_S} s goes again through the next gateway of the order (a) -> b, ` +
      "when its gateway delivered at least half of its messages over minSamples (the domain's rule). " +
      'Adaptive: minSamples 20, explorePercent 10. "Moved" counts sends of that country until every later ' +
      'non-exploring choice was the better provider; "back" the same after the swap.',
    '',
    '| window h | seed | mode | failover | conversion | median s to verify | cost per approval | reroutes | moved after | back after |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
    ...bench.runs.map(
      (r) =>
        `| ${r.windowHours} | ${r.seed} | ${r.mode} | ${r.failover ? 'yes' : 'no'} | ${r.conversion} | ` +
        `${r.medianSecondsToVerify} | ${r.costPerApproval.toFixed(4)} | ${r.rerouted} | ` +
        `${moved(r.sendsToMove)} | ${moved(r.sendsToMoveBack)} |`,
    ),
    '',
  ];
}

if (import.meta.url === `file://${process.argv[1]}`) {
  process.stdout.write(renderRouting(benchRouting()).join('\n'));
}
