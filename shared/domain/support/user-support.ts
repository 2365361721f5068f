import type { ChallengeStore } from '../../ports/challenge-store.ts';
import type { Clock } from '../../ports/clock.ts';
import { noEvents, type EventPort } from '../../ports/events.ts';
import type { FactorStore } from '../../ports/factor-store.ts';
import type { Random } from '../../ports/random.ts';
import type { ReplacementNotifier } from '../../ports/replacement-notifier.ts';
import type { UserSupportStore } from '../../ports/user-support-store.ts';
import { closeChallenges } from '../challenges/challenge-endings.ts';
import { factorData } from '../challenges/challenge-events.ts';
import { historyStatus, type HistoryStatus } from '../challenges/challenge-history.ts';
import type { ChallengePurpose } from '../challenges/challenge.ts';
import type { Pepper } from '../codes/pepper.ts';
import { Conflict, NotFound } from '../errors.ts';
import { EVENT_ID_PREFIX } from '../events/event.ts';
import type { AuditEventType } from '../events/event-types.ts';
import { factorNumber, type FactorRecord } from '../factors/factor.ts';
import { newId } from '../ids.ts';
import { maskPhone } from '../phone.ts';
import type { AuditRecord } from './audit-record.ts';
import { userRef } from './user-ref.ts';

/** How many of a user's challenges the lookup shows. */
export const RECENT_CHALLENGES = 20;
/** How often a reset reads the factor again after losing its write to a concurrent change. */
const RESET_ROUNDS = 5;
/** How long after a reset `GET /v1/users/{userId}/mfa` shows `resetAt`. */
export const RESET_SHOWN_MS = 7 * 24 * 3600_000;

/** `resetAt` while it is shown (api.md: present for 7 days after the last reset, omitted otherwise). */
export function shownResetAt(resetAt: number | null, now: number): string | undefined {
  return resetAt !== null && now - resetAt < RESET_SHOWN_MS ? new Date(resetAt).toISOString() : undefined;
}

export interface UserView {
  userId: string;
  userRef: string;
  factor: {
    status: 'pending' | 'active';
    maskedPhone: string;
    verifiedAt?: string;
    lastUsedAt?: string;
    lockedUntil?: string;
  } | null;
  hasLastVerifiedNumber: boolean;
  recentChallenges: {
    id: string;
    purpose: ChallengePurpose;
    status: HistoryStatus;
    maskedPhone: string;
    createdAt: string;
  }[];
}

export interface UserSupportDeps {
  support: UserSupportStore;
  factors: Pick<FactorStore, 'get'>;
  challenges: ChallengeStore;
  stores: { get(id: string): Promise<unknown> };
  notifier: ReplacementNotifier;
  pepper: Pick<Pepper, 'versions'>;
  clock: Clock;
  random: Random;
  events?: EventPort | undefined;
}

/** The support desk's user routes: look a user up, reset a lost phone, unlock a locked user. */
export class UserSupport {
  constructor(private readonly deps: UserSupportDeps) {}

  async lookup(storeId: string, userId: string): Promise<UserView> {
    await this.requireStore(storeId);
    const [factor, challenges, peppers] = await Promise.all([
      this.deps.factors.get(storeId, userId),
      this.deps.support.recentChallenges(storeId, userId, RECENT_CHALLENGES),
      this.deps.pepper.versions(),
    ]);
    const now = this.deps.clock.now().getTime();
    return {
      userId,
      userRef: userRef(peppers.keys, storeId, userId),
      factor: factorView(factor, now),
      hasLastVerifiedNumber: Boolean(
        (factor?.status === 'active' && factor.phone) || factor?.lastVerifiedPhone,
      ),
      recentChallenges: challenges.map((challenge) => ({
        id: challenge.id,
        purpose: challenge.purpose,
        status: historyStatus(challenge, now),
        maskedPhone: maskPhone(challenge.phone),
        createdAt: challenge.createdAt,
      })),
    };
  }

  /**
   * A lost phone: the factor and the remembered number go, the user's live challenges close, the lock
   * clears, and the removed active number is told (as a replacement tells it).
   */
  async reset(storeId: string, userId: string, actor: string, reason: string): Promise<void> {
    await this.requireStore(storeId);
    // Each lost write means a send or verify changed the factor; a user this busy is answered 409.
    for (let round = 0; round < RESET_ROUNDS; round++) {
      const factor = await this.deps.factors.get(storeId, userId);
      if (!factor || (factor.status === 'none' && !factor.lastVerifiedPhone)) {
        throw new NotFound('The SMS factor');
      }
      const audit = this.audit('admin.factor.reset', { actor, storeId, userId, reason });
      if (!(await this.deps.support.reset(factor, audit.at, audit))) continue;
      this.publish(audit);
      const events = this.deps.events ?? noEvents;
      if (factor.status !== 'none') {
        const { phone, country } = factorNumber(factor);
        events.emit('factor.removed', { ...factorData(storeId, userId, phone, country), by: 'admin' });
      }
      const live = [
        ...Object.values(factor.pointers).map((pointer) => pointer.challengeId),
        ...(factor.pendingChallengeId ? [factor.pendingChallengeId] : []),
      ];
      await Promise.all([
        closeChallenges(this.deps, [...new Set(live)], audit.at),
        // The notice goes to the active factor's number only; it counts against no send limit.
        factor.status === 'active' && factor.phone
          ? this.deps.notifier.notify(storeId, factor.phone)
          : Promise.resolve(),
      ]);
      return;
    }
    throw new Conflict("The user's factor kept changing during the reset; retry.");
  }

  /** Ends the 15-minute lock and the failure streak of a user who has a factor, locked or not. */
  async unlock(storeId: string, userId: string, actor: string): Promise<void> {
    await this.requireStore(storeId);
    const audit = this.audit('admin.factor.unlocked', { actor, storeId, userId });
    if (!(await this.deps.support.unlock(storeId, userId, audit))) throw new NotFound('The SMS factor');
    this.publish(audit);
  }

  private async requireStore(storeId: string): Promise<void> {
    if (!(await this.deps.stores.get(storeId))) throw new NotFound('The identity store');
  }

  private audit(type: AuditEventType, data: AuditRecord['data']): AuditRecord {
    const { clock, random } = this.deps;
    return { id: newId(EVENT_ID_PREFIX, clock, random), type, at: clock.now().getTime(), data };
  }

  /** The record is already written with the change; its publication is a side path. */
  private publish(audit: AuditRecord): void {
    (this.deps.events ?? noEvents).emit(audit.type, audit.data, { id: audit.id, at: audit.at });
  }
}

function factorView(factor: FactorRecord | undefined, now: number): UserView['factor'] {
  if (!factor || factor.status === 'none') return null;
  const phone = factor.status === 'active' ? factor.phone : factor.pendingPhone;
  if (!phone) return null;
  const active = factor.status === 'active';
  return {
    status: factor.status,
    maskedPhone: maskPhone(phone),
    ...(active && factor.verifiedAt ? { verifiedAt: factor.verifiedAt } : {}),
    ...(active && factor.lastUsedAt ? { lastUsedAt: factor.lastUsedAt } : {}),
    ...(factor.lockedUntil !== null && factor.lockedUntil > now
      ? { lockedUntil: new Date(factor.lockedUntil).toISOString() }
      : {}),
  };
}
