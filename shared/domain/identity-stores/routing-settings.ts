import type { FieldError } from '../errors.ts';
import type { ChallengePurpose } from '../challenges/challenge.ts';

/** `ordered`: the linked order (per country); `adaptive`: start at the best measured conversion rate. */
export type RoutingMode = 'ordered' | 'adaptive';

/** The purposes whose approvals the rates learn from (api.md "Routing"). */
export const LEARN_PURPOSES = [
  'authenticate',
  'enroll',
  'verify-phone',
] as const satisfies ChallengePurpose[];

/** Bounds of each setting, named once: the request schema and the domain's checks use these. */
export const ROUTING_BOUNDS = {
  explorePercent: { min: 0, max: 50 },
  minSamples: { min: 1, max: 10_000 },
  windowHours: { min: 1, max: 720 },
  deliveryDeadlineSeconds: { min: 5, max: 900 },
} as const;

export interface RoutingSettings {
  mode: RoutingMode;
  /** ISO country -> gateway ids tried first for its numbers (each one linked). */
  byCountry: Record<string, string[]>;
  /** Share of adaptive sends that start at another gateway of the order, in percent. */
  explorePercent: number;
  /** Accepted messages a (country, gateway) needs before it has a rate; deadline reroutes too. */
  minSamples: number;
  windowHours: number;
  learnFrom: ChallengePurpose[];
  /** Delivery failover's deadline (acted on by the failover feature); null: off. */
  deliveryDeadlineSeconds: number | null;
}

export const DEFAULT_ROUTING: RoutingSettings = {
  mode: 'ordered',
  byCountry: {},
  explorePercent: 10,
  minSamples: 20,
  windowHours: 24,
  learnFrom: ['authenticate'],
  deliveryDeadlineSeconds: null,
};

type Nullable<T> = { [K in keyof T]?: T[K] | null };
export type RoutingInput = Nullable<Omit<RoutingSettings, 'byCountry'>> & {
  byCountry?: Record<string, string[] | null> | null;
};

/** A store written before routing existed (or with members removed) reads with the defaults: no migration. */
export function routingOf(store: { routing?: RoutingInput | null | undefined }): RoutingSettings {
  const input = store.routing ?? {};
  const byCountry = Object.fromEntries(
    Object.entries(input.byCountry ?? {}).filter((entry): entry is [string, string[]] => !!entry[1]),
  );
  return {
    mode: input.mode ?? DEFAULT_ROUTING.mode,
    byCountry,
    explorePercent: input.explorePercent ?? DEFAULT_ROUTING.explorePercent,
    minSamples: input.minSamples ?? DEFAULT_ROUTING.minSamples,
    windowHours: input.windowHours ?? DEFAULT_ROUTING.windowHours,
    learnFrom: input.learnFrom ?? DEFAULT_ROUTING.learnFrom,
    // null is the default (off): a member set to null is simply off.
    deliveryDeadlineSeconds: input.deliveryDeadlineSeconds ?? null,
  };
}

/** The mode a send uses: adaptive only where the deployment allows it (CDK `adaptiveRoutingAllowed`). */
export function effectiveMode(routing: RoutingSettings, adaptiveAllowed: boolean): RoutingMode {
  return routing.mode === 'adaptive' && adaptiveAllowed ? 'adaptive' : 'ordered';
}

export interface RoutingCheck {
  routing: RoutingSettings;
  /** The store's linked gateways after the write (smsAuth.gatewayId, then the fallbacks). */
  linked: readonly string[];
  ttlSeconds: number;
  adaptiveAllowed: boolean;
  /** What the write named: where a deadline that is not below the TTL is reported. */
  wrote: { deadline: boolean; ttl: boolean; mode: boolean };
}

/** Every routing problem at its path (api.md "Routing paths"); nothing cascades. */
export function routingProblems(check: RoutingCheck): FieldError[] {
  const { routing, linked } = check;
  const problems: FieldError[] = [];
  const linkedSet = new Set(linked);
  for (const [country, ids] of Object.entries(routing.byCountry)) {
    ids.forEach((id, index) => {
      const path = `routing.byCountry.${country}.${index}`;
      if (!linkedSet.has(id)) {
        problems.push({
          path,
          message: `gateway ${id} is not linked to the store (smsAuth.gatewayId or smsAuth.fallbackGatewayIds)`,
        });
      } else if (ids.indexOf(id) !== index) {
        problems.push({ path, message: `gateway ${id} is listed twice` });
      }
    });
  }
  if (new Set(routing.learnFrom).size !== routing.learnFrom.length) {
    problems.push({ path: 'routing.learnFrom', message: 'must not contain a purpose twice' });
  }
  const deadline = routing.deliveryDeadlineSeconds;
  if (deadline !== null && deadline >= check.ttlSeconds) {
    const path =
      !check.wrote.deadline && check.wrote.ttl ? 'codePolicy.ttlSeconds' : 'routing.deliveryDeadlineSeconds';
    problems.push({
      path,
      message: `routing.deliveryDeadlineSeconds (${deadline}) must be below codePolicy.ttlSeconds (${check.ttlSeconds})`,
    });
  }
  if (routing.mode === 'adaptive' && !check.adaptiveAllowed && check.wrote.mode) {
    problems.push({
      path: 'routing.mode',
      message: 'adaptive routing is not allowed in this deployment (CDK context adaptiveRoutingAllowed)',
    });
  }
  return problems;
}
