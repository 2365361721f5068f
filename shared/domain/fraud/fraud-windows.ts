import type { IdentityStore } from '../identity-stores/identity-store.ts';
import type { PhoneNumber } from '../phone.ts';
import {
  MAX_STORE_SHARDS,
  TEN_MINUTES_MS,
  DAY_MS,
  type CounterWindow,
  type FraudLimit,
} from '../sending/send-windows.ts';
import { numberPrefix } from './number-prefix.ts';
import { countryBudget, estimatedCost, toMillionths } from './spend.ts';

export const HOUR_MS = 3_600_000;
export const MINUTE_MS = 60_000;

/** The application a send is for; store-level API keys share one count. */
export const STORE_LEVEL_APPLICATION = 'store';

/** What the route knows of a send's origin; everything optional (no per-IP count without `clientIp`). */
export interface SendOrigin {
  /** Already canonical: clientIpKey() of the request's `clientIp`. */
  clientIp?: string | null;
  /** From the authorizer's context when the API key belongs to an application (issue 12). */
  applicationId?: string | null;
  /** A trusted or test number, classified by the caller (issue 12): no fraud-guard counts. */
  exempt?: boolean;
}

/** What the caller knows of one send beyond the number. */
export interface SendContext {
  /** clientIpKey() of the request's `clientIp`; null when omitted (then no per-IP count). */
  clientIp: string | null;
  applicationId: string | null;
  /** Segments of the rendered message. */
  segments: number;
  /**
   * Trusted and test numbers (issue 12) skip the fraud guard: the caller classifies the number and says so.
   * Budgets still apply to trusted numbers; test numbers skip everything (the caller sends nothing then).
   */
  exempt: boolean;
}

/** Windows a hot key is spread over: about 100 sends per shard, at most MAX_STORE_SHARDS. */
export function shardCount(maxSends: number): number {
  return Math.min(MAX_STORE_SHARDS, Math.max(1, Math.floor(maxSends / 100)));
}

/** The windows a send counts on, each with its per-item maximum; `shards` > 1 for the hot keys. */
export interface PlannedWindow {
  window: CounterWindow;
  shards: number;
  /** Counted for a challenge until it is approved (then taken off again). */
  unverified: boolean;
  /** Spend limits are enforced in every mode; the fraud guard only in `enforce`. */
  budget: boolean;
}

function fixed(
  limit: FraudLimit,
  subject: string,
  now: number,
  length: number,
  max: number,
  options: {
    shards?: number;
    amount?: number;
    unverified?: boolean;
    budget?: boolean;
    shardOf?: number;
  } = {},
): PlannedWindow {
  const bucket = Math.floor(now / length);
  const shards = options.shards ?? 1;
  return {
    window: {
      limit,
      subject,
      bucket,
      max: Math.ceil(max / shards),
      endsAt: (bucket + 1) * length,
      ...(options.amount !== undefined ? { amount: options.amount } : {}),
      ...(shards > 1 ? { shard: options.shardOf ?? 0 } : {}),
    },
    shards,
    unverified: options.unverified ?? false,
    budget: options.budget ?? false,
  };
}

/**
 * Every fraud-guard and spend window of one send. `pickShard` chooses the first shard of a hot key
 * (a full shard hands the send to the next one when counting).
 */
export function fraudWindows(
  store: Pick<IdentityStore, 'fraudGuard' | 'spendLimits'>,
  phone: PhoneNumber,
  context: SendContext,
  now: number,
  pickShard: (shards: number) => number,
): PlannedWindow[] {
  const planned: PlannedWindow[] = [];
  const guard = store.fraudGuard;
  if (guard.mode !== 'off' && !context.exempt) {
    planned.push(
      fixed(
        'prefixPerHour',
        numberPrefix(phone.e164, guard.prefixDigits),
        now,
        HOUR_MS,
        guard.maxUnverifiedPerPrefixPerHour,
        {
          unverified: true,
        },
      ),
    );
    const countryShards = shardCount(guard.maxUnverifiedPerCountryPerHour);
    planned.push(
      fixed(
        'countryPerHour',
        phone.country ?? phone.countryCallingCode,
        now,
        HOUR_MS,
        guard.maxUnverifiedPerCountryPerHour,
        {
          unverified: true,
          shards: countryShards,
          shardOf: pickShard(countryShards),
        },
      ),
    );
    if (context.clientIp) {
      planned.push(
        fixed('clientIpPer10Minutes', context.clientIp, now, TEN_MINUTES_MS, guard.perClientIpPer10Minutes),
      );
    }
    if (guard.perApplicationPerMinute !== null) {
      const shards = shardCount(guard.perApplicationPerMinute);
      planned.push(
        fixed(
          'applicationPerMinute',
          context.applicationId ?? STORE_LEVEL_APPLICATION,
          now,
          MINUTE_MS,
          guard.perApplicationPerMinute,
          {
            shards,
            shardOf: pickShard(shards),
          },
        ),
      );
    }
  }
  const limits = store.spendLimits;
  const cost = estimatedCost(limits, phone.country, context.segments);
  const spendShards = (budget: number) =>
    shardCount(Math.floor(budget / Math.max(1, toMillionths(limits.pricePerSegment.default ?? 0))));
  if (limits.dailyBudget !== null) {
    const budget = toMillionths(limits.dailyBudget);
    const shards = spendShards(budget);
    planned.push(
      fixed('storeSpendPerDay', 'store', now, DAY_MS, budget, {
        amount: cost,
        budget: true,
        shards,
        shardOf: pickShard(shards),
      }),
    );
  }
  const perCountry = countryBudget(limits, phone.country);
  if (perCountry !== null) {
    const shards = spendShards(perCountry);
    planned.push(
      fixed('countrySpendPerDay', phone.country ?? phone.countryCallingCode, now, DAY_MS, perCountry, {
        amount: cost,
        budget: true,
        shards,
        shardOf: pickShard(shards),
      }),
    );
  }
  return planned;
}

/** The window of another shard of the same key. */
export function onShard(window: CounterWindow, shard: number): CounterWindow {
  return { ...window, shard };
}
