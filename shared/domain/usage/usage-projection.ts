import type { Random } from '../../ports/random.ts';
import type { UsageCounters } from '../../ports/usage-counters.ts';
import {
  nonZero,
  UNKNOWN_COUNTRY,
  USAGE_SHARDS,
  utcDay,
  type UsageCounts,
  type UsageGroup,
} from './usage-counts.ts';

/** What the usage ledger learns from, whatever carries it (a stream record deployed, an event locally). */
export type UsageFact =
  /** One provider request (an attempt): what was handed to a gateway, at its estimated cost. */
  | {
      kind: 'attempt';
      storeId: string;
      /** Absent for a relayed code: it has no challenge, so it counts no challenge. */
      challengeId?: string;
      at: number;
      country: string | undefined;
      gatewayId: string;
      channel: 'sms' | 'voice';
      outcome: 'accepted' | 'refused' | 'unknown';
      /** Millionths of the store's currency. */
      cost: number;
      /** A test number's send reaches no gateway and counts nothing. */
      test: boolean;
    }
  /** A receipt's first terminal status, on the send it reports. */
  | {
      kind: 'receipt';
      storeId: string;
      sentAt: number;
      country: string | undefined;
      gatewayId: string;
      status: 'delivered' | 'failed' | 'undelivered';
      /** Millionths of the store's currency; absent when the provider named none in that currency. */
      reportedCost?: number;
    }
  | { kind: 'approved'; storeId: string; challengeId: string };

/**
 * Turns facts into counter increments (api.md "Usage grouping"): every count on its send's UTC day,
 * country and gateway; a challenge once, where its first accepted message is; its approval there too,
 * whenever it comes, and only when the challenge was counted. Increments land on a random shard.
 */
export class UsageProjection {
  constructor(private readonly deps: { counters: UsageCounters; random: Random }) {}

  async apply(fact: UsageFact): Promise<void> {
    if (fact.kind === 'attempt') return this.attempt(fact);
    if (fact.kind === 'receipt') return this.receipt(fact);
    const group = await this.deps.counters.challengeGroup(fact.storeId, fact.challengeId);
    if (group) await this.add(fact.storeId, group, { approved: 1 });
  }

  private async attempt(fact: Extract<UsageFact, { kind: 'attempt' }>): Promise<void> {
    if (fact.test) return;
    const group = groupOf(fact.at, fact.country, fact.gatewayId);
    const accepted = fact.outcome === 'accepted';
    const first =
      accepted && fact.challengeId !== undefined
        ? await this.deps.counters.claimChallenge(fact.storeId, fact.challengeId, group, fact.at)
        : false;
    await this.add(fact.storeId, group, {
      sends: 1,
      [fact.channel]: 1,
      accepted: accepted ? 1 : 0,
      challenges: first ? 1 : 0,
      // A refused attempt is refunded from the budgets, so it costs nothing here either.
      estimatedCost: fact.outcome === 'refused' ? 0 : fact.cost,
    });
  }

  private async receipt(fact: Extract<UsageFact, { kind: 'receipt' }>): Promise<void> {
    await this.add(fact.storeId, groupOf(fact.sentAt, fact.country, fact.gatewayId), {
      delivered: fact.status === 'delivered' ? 1 : 0,
      failed: fact.status === 'delivered' ? 0 : 1,
      reportedCost: fact.reportedCost ?? 0,
    });
  }

  private async add(storeId: string, group: UsageGroup, delta: Partial<UsageCounts>): Promise<void> {
    const changed = nonZero(delta);
    if (Object.keys(changed).length === 0) return;
    await this.deps.counters.add(storeId, group, changed, this.deps.random.int(USAGE_SHARDS));
  }
}

const groupOf = (at: number, country: string | undefined, gatewayId: string): UsageGroup => ({
  day: utcDay(at),
  country: country ?? UNKNOWN_COUNTRY,
  gatewayId,
});
