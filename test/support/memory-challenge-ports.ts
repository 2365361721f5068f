import type { ChallengeRecord } from '../../shared/domain/challenges/challenge.ts';
import {
  emptyFactor,
  newPointer,
  type FactorRecord,
  type PointerTarget,
  type SendPointer,
} from '../../shared/domain/factors/factor.ts';
import type { CounterWindow } from '../../shared/domain/sending/send-windows.ts';
import type { IdentityStore } from '../../shared/domain/identity-stores/identity-store.ts';
import type { AttemptResult, ChallengeStore } from '../../shared/ports/challenge-store.ts';
import type { FactorStore } from '../../shared/ports/factor-store.ts';
import type { IssueLedger, IssueRefusal, NewChallenge, Resend } from '../../shared/ports/issue-ledger.ts';
import type { SendCounters } from '../../shared/ports/send-counters.ts';

const copy = <T>(value: T): T => structuredClone(value);
const live = (c: ChallengeRecord, now: number) =>
  c.attempts < c.maxAttempts && c.expiresAt > now && !(c.lockedUntil !== undefined && c.lockedUntil > now);

/**
 * In-memory fakes of the challenge core's four ports, with the same conditions as the DynamoDB adapters,
 * for unit tests of the use cases. Every write is atomic here (one JavaScript turn).
 */
export class MemoryChallengePorts {
  readonly challengeItems = new Map<string, ChallengeRecord>();
  readonly factorItems = new Map<string, FactorRecord>();
  readonly phonePointers = new Map<string, SendPointer>();
  readonly counterItems = new Map<string, number>();

  /** What a ChallengeService stores through, from these fakes, with a store lookup answering `current()`. */
  serviceStorage(current: () => IdentityStore) {
    return {
      challenges: this.challenges,
      factors: this.factors,
      ledger: this.ledger,
      counters: this.counters,
      stores: { get: async (id: string) => (id === current().id ? current() : undefined) },
    };
  }

  private factorOf(storeId: string, userId: string, create = false): FactorRecord | undefined {
    const key = `${storeId}#${userId}`;
    if (create && !this.factorItems.has(key)) this.factorItems.set(key, emptyFactor(storeId, userId));
    return this.factorItems.get(key);
  }

  private pointerOf(target: PointerTarget): SendPointer | undefined {
    return target.kind === 'user'
      ? this.factorOf(target.storeId, target.userId)?.pointers[target.purpose]
      : this.phonePointers.get(`${target.storeId}#${target.phoneKey}`);
  }

  private setPointer(target: PointerTarget, pointer: SendPointer): void {
    if (target.kind === 'user')
      this.factorOf(target.storeId, target.userId, true)!.pointers[target.purpose] = pointer;
    else this.phonePointers.set(`${target.storeId}#${target.phoneKey}`, pointer);
  }

  counterKey(storeId: string, phone: string, window: CounterWindow): string {
    const scope = window.subject ?? phone;
    return `${storeId}|${window.limit}|${window.shard === undefined ? scope : `${window.subject ?? ''}shard${window.shard}`}|${window.bucket}`;
  }

  private fullWindow(storeId: string, phone: string, windows: readonly CounterWindow[]) {
    return (
      windows.find(
        (w) => (this.counterItems.get(this.counterKey(storeId, phone, w)) ?? 0) + (w.amount ?? 1) > w.max,
      ) ?? null
    );
  }

  private countAll(storeId: string, phone: string, windows: readonly CounterWindow[]): void {
    for (const w of windows) {
      const key = this.counterKey(storeId, phone, w);
      this.counterItems.set(key, (this.counterItems.get(key) ?? 0) + (w.amount ?? 1));
    }
  }

  readonly challenges: ChallengeStore = {
    get: async (id) => copy(this.challengeItems.get(id)),
    attempt: async (id, storeId, hashes, now): Promise<AttemptResult> => {
      const c = this.challengeItems.get(id);
      if (!c || c.storeId !== storeId || !live(c, now)) return { kind: 'refused', before: copy(c) };
      for (const hash of hashes) {
        c.tried[hash] ??= c.attempts;
        c.triedAt[hash] ??= now;
      }
      c.attempts++;
      return { kind: 'counted', after: copy(c) };
    },
    close: async (ids, now) => {
      const closed: ChallengeRecord[] = [];
      for (const id of ids) {
        const c = this.challengeItems.get(id);
        if (!c || c.expiresAt <= now) continue;
        closed.push(copy(c));
        Object.assign(c, { closedAt: now, expiresAt: now });
      }
      return closed;
    },
    cancel: async (id, expectedAttempts, now) => {
      const c = this.challengeItems.get(id);
      if (!c || c.attempts !== expectedAttempts || c.closedAt !== undefined || !live(c, now)) return false;
      Object.assign(c, { closedAt: now, canceledAt: now, expiresAt: now });
      return true;
    },
    withdrawCode: async (id, hash, { kill, now }) => {
      const c = this.challengeItems.get(id);
      if (!c) return;
      delete c.codes[hash];
      if (kill) Object.assign(c, { attempts: c.maxAttempts, closedAt: now });
    },
    lockUntil: async (ids, until, now) => {
      const locked: ChallengeRecord[] = [];
      for (const id of ids) {
        const c = this.challengeItems.get(id);
        if (!c || c.expiresAt <= now) continue;
        locked.push(copy(c));
        c.lockedUntil = until;
      }
      return locked;
    },
    markExpiryReported: async (id, now) => {
      const c = this.challengeItems.get(id);
      if (!c || c.expiryReportedAt !== undefined || c.expiresAt > now) return false;
      if (c.closedAt !== undefined || c.attempts >= c.maxAttempts) return false;
      c.expiryReportedAt = now;
      return true;
    },
    markUncounted: async (id, now) => {
      const c = this.challengeItems.get(id);
      if (!c || c.uncountedAt !== undefined) return false;
      c.uncountedAt = now;
      return true;
    },
  };

  readonly factors: FactorStore = {
    get: async (storeId, userId) => copy(this.factorOf(storeId, userId)),
    phonePointer: async (storeId, phone) => copy(this.phonePointers.get(`${storeId}#${phone}`)),
    notePointerAttempts: async (target, challengeId, attempts) => {
      const p = this.pointerOf(target);
      if (p?.challengeId === challengeId && (p.attempts ?? 0) < attempts) p.attempts = attempts;
    },
    releasePointer: async (target, challengeId) => {
      const p = this.pointerOf(target);
      if (p?.challengeId === challengeId) p.lastSentAt = 0;
    },
    addFailure: async (storeId, userId) => {
      const f = this.factorOf(storeId, userId);
      if (!f) return undefined;
      f.failureCount++;
      return copy(f);
    },
    lock: async (storeId, userId, until, threshold) => {
      const f = this.factorOf(storeId, userId);
      if (!f || f.failureCount < threshold) return false;
      Object.assign(f, { lockedUntil: until, failureCount: 0 });
      return true;
    },
    recordSuccess: async (storeId, userId, now) => {
      const f = this.factorOf(storeId, userId);
      if (!f) return;
      Object.assign(f, { failureCount: 0, lastUsedAt: new Date(now).toISOString() });
      delete f.pointers.authenticate;
    },
    activate: async (storeId, userId, challengeId, now) => {
      const f = this.factorOf(storeId, userId);
      if (!f || f.pendingChallengeId !== challengeId) return undefined;
      const before = copy(f);
      Object.assign(f, {
        status: 'active',
        phone: f.pendingPhone,
        phoneCountry: f.pendingCountry,
        pendingCountry: undefined,
        lastVerifiedPhone: f.pendingPhone,
        verifiedAt: new Date(now).toISOString(),
        failureCount: 0,
        pendingPhone: null,
        pendingChallengeId: null,
        pointers: {},
      });
      return before;
    },
    remove: async (storeId, userId) => {
      const f = this.factorOf(storeId, userId);
      if (!f || f.status === 'none') return undefined;
      const before = copy(f);
      Object.assign(f, {
        status: 'none',
        phone: null,
        phoneCountry: undefined,
        pendingPhone: null,
        pendingCountry: undefined,
        pendingChallengeId: null,
        verifiedAt: null,
        lastUsedAt: null,
        pointers: {},
      });
      return before;
    },
  };

  readonly counters: SendCounters = {
    count: async (storeId, phone, windows) => {
      const full = this.fullWindow(storeId, phone, windows);
      if (!full) this.countAll(storeId, phone, windows);
      return full;
    },
    countOne: async (storeId, phone, window) => {
      if (this.fullWindow(storeId, phone, [window])) return null;
      this.countAll(storeId, phone, [window]);
      return this.counterItems.get(this.counterKey(storeId, phone, window)) ?? 0;
    },
    refund: async (storeId, phone, windows) => {
      for (const w of windows) {
        const key = this.counterKey(storeId, phone, w);
        const n = this.counterItems.get(key) ?? 0;
        if (n >= (w.amount ?? 1)) this.counterItems.set(key, n - (w.amount ?? 1));
      }
    },
  };

  private pointerRefusal(target: PointerTarget): IssueRefusal {
    return target.kind === 'user'
      ? {
          part: 'pointer',
          factor: copy(
            this.factorOf(target.storeId, target.userId) ?? emptyFactor(target.storeId, target.userId),
          ),
        }
      : { part: 'pointer', ...(this.pointerOf(target) ? { pointer: copy(this.pointerOf(target)) } : {}) };
  }

  readonly ledger: IssueLedger = {
    start: async (input: NewChallenge) => {
      const { challenge, pointer: target, now } = input;
      const window = this.fullWindow(target.storeId, input.phoneKey, input.windows);
      if (window) return { part: 'window', window };
      if (this.challengeItems.has(challenge.id))
        return { part: 'challenge', challenge: copy(this.challengeItems.get(challenge.id)) };
      const current = this.pointerOf(target);
      const factor = target.kind === 'user' ? this.factorOf(target.storeId, target.userId) : undefined;
      const pointerOk =
        (current?.challengeId ?? null) === input.expectedPointer &&
        (!current || current.lastSentAt <= now - input.resendIntervalMs) &&
        !(factor?.lockedUntil && factor.lockedUntil > now) &&
        (input.factor.kind !== 'active' ||
          (factor?.status === 'active' && factor.phone === input.factor.phone)) &&
        (input.factor.kind !== 'not-active' || factor?.status !== 'active');
      if (!pointerOk) return this.pointerRefusal(target);
      if (input.approval) {
        const a = this.challengeItems.get(input.approval.challengeId);
        const { storeId, userId, phone } = input.approval;
        if (
          !a ||
          a.storeId !== storeId ||
          a.userId !== userId ||
          a.purpose !== 'authenticate' ||
          a.phone !== phone ||
          a.consumedAt !== undefined ||
          a.closedAt !== undefined
        ) {
          return { part: 'approval' };
        }
        a.consumedAt = now;
      }
      this.countAll(target.storeId, input.phoneKey, input.windows);
      this.challengeItems.set(challenge.id, copy(challenge));
      this.setPointer(target, newPointer(challenge, now));
      if (target.kind === 'user' && input.pendingEnrollment) {
        const f = this.factorOf(target.storeId, target.userId, true)!;
        if (f.status === 'none') f.status = 'pending';
        Object.assign(f, {
          pendingPhone: challenge.phone,
          pendingCountry: challenge.country,
          pendingChallengeId: challenge.id,
        });
      }
      return null;
    },
    resend: async (input: Resend) => {
      const { pointer: target, now } = input;
      const window = this.fullWindow(target.storeId, input.phoneKey, input.windows);
      if (window) return { part: 'window', window };
      const c = this.challengeItems.get(input.challengeId);
      if (!c || c.attempts !== input.expectedAttempts || c.sends >= 5 || !live(c, now)) {
        return { part: 'challenge', challenge: copy(c) };
      }
      const p = this.pointerOf(target);
      if (p?.challengeId !== input.challengeId || p.lastSentAt > now - input.resendIntervalMs)
        return this.pointerRefusal(target);
      this.countAll(target.storeId, input.phoneKey, input.windows);
      Object.assign(c, { lastSentAt: now, expiresAt: input.codeExpiry, sends: c.sends + 1 });
      if (input.unverified?.length) c.unverified = [...(c.unverified ?? []), ...input.unverified];
      c.codes[input.hash] = input.codeExpiry;
      Object.assign(p, { lastSentAt: now, expiresAt: input.codeExpiry });
      return null;
    },
  };
}
