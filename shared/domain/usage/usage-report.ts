import type { Clock } from '../../ports/clock.ts';
import type { UsageCounters } from '../../ports/usage-counters.ts';
import { NotFound, ValidationFailed } from '../errors.ts';
import { fromMillionths } from '../sending/prices.ts';
import { addCounts, emptyCounts, sumShards, utcDay, type UsageCounts } from './usage-counts.ts';

export const USAGE_GROUPINGS = ['day', 'country', 'gateway'] as const;
export type UsageGrouping = (typeof USAGE_GROUPINGS)[number];

/** At most this many UTC days, counting both ends (api.md "Wave 3: exact rules", Usage). */
export const MAX_USAGE_DAYS = 92;
/** The default range: today and the days before it. */
const DEFAULT_DAYS = 7;
const DAY_MS = 86_400_000;

export interface UsageQuery {
  from?: string;
  to?: string;
  groupBy?: UsageGrouping;
}

/** One line of the answer; amounts in currency units (at most 6 decimals). */
export interface UsageLine {
  sends: number;
  accepted: number;
  delivered: number;
  failed: number;
  challenges: number;
  approved: number;
  conversionRate: number | null;
  estimatedCost: number;
  reportedCost: number;
  costPerApproval: number | null;
  channels: { sms: number; voice: number };
}

export interface UsageReport {
  currency: string;
  from: string;
  to: string;
  groupBy: UsageGrouping;
  items: Array<{ key: string } & UsageLine>;
  totals: UsageLine;
  asOf: string;
}

export interface UsageReportDeps {
  counters: Pick<UsageCounters, 'read'>;
  /** The store's currency, or undefined for an unknown (or deleted) store. */
  stores: { get(id: string): Promise<{ spendLimits: { currency: string } } | undefined> };
  clock: Clock;
}

/** `GET /admin/identity-stores/{storeId}/usage`: the summed counters of a range, grouped. */
export class UsageReports {
  constructor(private readonly deps: UsageReportDeps) {}

  async report(storeId: string, query: UsageQuery): Promise<UsageReport> {
    const now = this.deps.clock.now().getTime();
    const { from, to } = usageRange(query, now);
    const groupBy = query.groupBy ?? 'day';
    const [store, rows] = await Promise.all([
      this.deps.stores.get(storeId),
      this.deps.counters.read(storeId, from, to),
    ]);
    if (!store) throw new NotFound('The identity store');
    const byKey = new Map<string, UsageCounts>();
    const totals = emptyCounts();
    for (const { group, counts } of sumShards(rows)) {
      const key = groupBy === 'day' ? group.day : groupBy === 'country' ? group.country : group.gatewayId;
      byKey.set(key, addCounts(byKey.get(key) ?? emptyCounts(), counts));
      addCounts(totals, counts);
    }
    return {
      currency: store.spendLimits.currency,
      from,
      to,
      groupBy,
      items: [...byKey.entries()]
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([key, counts]) => ({ key, ...usageLine(counts) })),
      totals: usageLine(totals),
      asOf: new Date(now).toISOString(),
    };
  }
}

/** The inclusive UTC days asked for: defaults, `from` after `to` and the 92-day bound are checked here. */
export function usageRange(query: UsageQuery, now: number): { from: string; to: string } {
  for (const field of ['from', 'to'] as const) {
    const day = query[field];
    if (day !== undefined && !isUtcDay(day)) {
      throw new ValidationFailed([{ path: field, message: 'must be a UTC day as YYYY-MM-DD' }]);
    }
  }
  const to = query.to ?? (query.from ? maxDay(query.from, now) : utcDay(now));
  const from = query.from ?? utcDay(dayStart(to) - (DEFAULT_DAYS - 1) * DAY_MS);
  const days = (dayStart(to) - dayStart(from)) / DAY_MS + 1;
  if (days < 1) throw new ValidationFailed([{ path: 'from', message: 'must not be after to' }]);
  if (days > MAX_USAGE_DAYS) {
    throw new ValidationFailed([
      {
        path: 'to',
        message: `the range is ${days} days; at most ${MAX_USAGE_DAYS} days, counting both ends`,
      },
    ]);
  }
  return { from, to };
}

/** `from` alone: up to today, but never a range longer than allowed by default. */
function maxDay(from: string, now: number): string {
  const today = utcDay(now);
  return today < from ? from : today;
}

/** A real calendar day written `YYYY-MM-DD` (2026-02-30 is not one). */
export function isUtcDay(value: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(value) && utcDay(dayStart(value)) === value;
}

const dayStart = (day: string): number => Date.parse(`${day}T00:00:00.000Z`);

/** Ratios from exact integers: conversion half-up to 6 decimals, cost per approval in whole millionths. */
export function usageLine(counts: UsageCounts): UsageLine {
  const { challenges, approved, estimatedCost } = counts;
  return {
    sends: counts.sends,
    accepted: counts.accepted,
    delivered: counts.delivered,
    failed: counts.failed,
    challenges,
    approved,
    conversionRate: challenges === 0 ? null : halfUpDivide(approved * 1_000_000, challenges) / 1_000_000,
    estimatedCost: fromMillionths(estimatedCost),
    reportedCost: fromMillionths(counts.reportedCost),
    costPerApproval: approved === 0 ? null : fromMillionths(halfUpDivide(estimatedCost, approved)),
    channels: { sms: counts.sms, voice: counts.voice },
  };
}

/** round(a / b) with halves up, for non-negative integers, without floating-point error. */
export function halfUpDivide(a: number, b: number): number {
  return Math.floor((2 * a + b) / (2 * b));
}
