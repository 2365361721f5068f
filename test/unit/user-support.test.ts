import { beforeEach, describe, expect, it } from 'vitest';
import { ChallengeService } from '../../shared/domain/challenges/challenge-service.ts';
import {
  DEFAULT_CODE_POLICY,
  type IdentityStore,
} from '../../shared/domain/identity-stores/identity-store.ts';
import type { AuditRecord } from '../../shared/domain/support/audit-record.ts';
import { shownResetAt, UserSupport, RESET_SHOWN_MS } from '../../shared/domain/support/user-support.ts';
import { userRef } from '../../shared/domain/support/user-ref.ts';
import type { FactorRecord } from '../../shared/domain/factors/factor.ts';
import type { EventPort } from '../../shared/ports/events.ts';
import type { OutboundSms } from '../../shared/ports/sms-sender.ts';
import { noTelemetry } from '../../shared/ports/telemetry.ts';
import type { UserSupportStore } from '../../shared/ports/user-support-store.ts';
import { fixedPepper } from '../support/fixed-pepper.ts';
import { ManualClock } from '../support/manual-clock.ts';
import { MemoryChallengePorts } from '../support/memory-challenge-ports.ts';
import { storeFixture } from '../support/store-fixture.ts';

/** The support desk's use cases against in-memory fakes (api.md "Support desk"). */
const T0 = Date.UTC(2026, 11, 6, 9);
const A = '+447400123456';

let ports: MemoryChallengePorts;
let clock: ManualClock;
let sent: OutboundSms[];
let notices: string[];
let events: { type: string; data: Record<string, unknown> }[];
let audits: AuditRecord[];
let store: IdentityStore;
let challenges: ChallengeService;
let support: UserSupport;
/** Set by a test: the next reset write loses to a change made just before it. */
let interfere: (() => Promise<void>) | undefined;

/** The support store on the same in-memory items, with the DynamoDB adapter's conditions. */
function memorySupport(): UserSupportStore {
  const factor = (storeId: string, userId: string) => ports.factorItems.get(`${storeId}#${userId}`);
  return {
    recentChallenges: async (storeId, userId, limit) =>
      [...ports.challengeItems.values()]
        .filter((c) => c.storeId === storeId && c.userId === userId)
        .sort((a, b) =>
          a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : b.id.localeCompare(a.id),
        )
        .slice(0, limit)
        .map((c) => structuredClone(c)),
    reset: async (seen: FactorRecord, now, audit) => {
      if (interfere) {
        const change = interfere;
        interfere = undefined;
        await change();
      }
      const f = factor(seen.storeId, seen.userId);
      const same =
        f &&
        f.phone === seen.phone &&
        f.pendingChallengeId === seen.pendingChallengeId &&
        f.lastVerifiedPhone === seen.lastVerifiedPhone &&
        f.pointers.enroll?.challengeId === seen.pointers.enroll?.challengeId &&
        f.pointers.authenticate?.challengeId === seen.pointers.authenticate?.challengeId;
      if (!f || !same) return false;
      Object.assign(f, {
        status: 'none',
        phone: null,
        pendingPhone: null,
        pendingChallengeId: null,
        lastVerifiedPhone: null,
        verifiedAt: null,
        lastUsedAt: null,
        lockedUntil: null,
        failureCount: 0,
        resetAt: now,
        pointers: {},
      });
      audits.push(audit);
      return true;
    },
    unlock: async (storeId, userId, audit) => {
      const f = factor(storeId, userId);
      if (!f || f.status === 'none') return false;
      Object.assign(f, { lockedUntil: null, failureCount: 0 });
      audits.push(audit);
      return true;
    },
  };
}

beforeEach(() => {
  ports = new MemoryChallengePorts();
  clock = new ManualClock(T0);
  sent = [];
  notices = [];
  events = [];
  audits = [];
  interfere = undefined;
  store = storeFixture({ codePolicy: { ...DEFAULT_CODE_POLICY, resendIntervalSeconds: 0 } });
  const emitted = {
    emit: (type: string, data: Record<string, unknown>) => void events.push({ type, data }),
  } as unknown as EventPort;
  let seq = 0;
  const random = { bytes: (n: number) => Buffer.alloc(n, seq++ % 256), int: (max: number) => seq++ % max };
  const pepper = fixedPepper(Buffer.from('pepper'));
  const notifier = { notify: async (_storeId: string, phone: string) => void notices.push(phone) };
  challenges = new ChallengeService({
    ...ports.serviceStorage(() => store),
    delivery: {
      send: async (_store, sms) => {
        sent.push(sms);
        return { gatewayId: 'gw_1', gatewayType: 'console', providerMessageId: 'm' };
      },
    },
    notifier,
    pepper,
    clock,
    random,
    telemetry: noTelemetry,
    events: emitted,
  });
  support = new UserSupport({
    support: memorySupport(),
    factors: ports.factors,
    challenges: ports.challenges,
    stores: { get: async (id) => (id === store.id ? store : undefined) },
    notifier,
    pepper,
    clock,
    random,
    events: emitted,
  });
});

const lastCode = () => /(\d{6})/.exec(sent.at(-1)?.body ?? '')?.[1] ?? '';
const slug = (promise: Promise<unknown>) =>
  promise.then(
    () => 'ok',
    (e: { slug?: string }) => e.slug ?? String(e),
  );

async function activeUser(userId: string) {
  const { challenge } = await challenges.enroll(store.id, userId, { phoneNumber: A });
  await challenges.verify(store.id, challenge.id, lastCode());
}

describe('lookup', () => {
  it('names the user by userRef (HMAC of store and user with the key pepper), never by anything else', async () => {
    const view = await support.lookup(store.id, 'u1');
    const keys = (await fixedPepper(Buffer.from('pepper')).versions()).keys;
    expect(view.userRef).toBe(userRef(keys, store.id, 'u1'));
    expect(view.userRef).not.toBe((await support.lookup(store.id, 'u2')).userRef);
    expect(await slug(support.lookup('ids_none', 'u1'))).toBe('not-found');
  });

  it('shows lockedUntil only while the lock runs', async () => {
    await activeUser('u1');
    const f = ports.factorItems.get(`${store.id}#u1`)!;
    f.lockedUntil = T0 + 60_000;
    expect((await support.lookup(store.id, 'u1')).factor?.lockedUntil).toBe(
      new Date(T0 + 60_000).toISOString(),
    );
    clock.advance(60_000);
    expect((await support.lookup(store.id, 'u1')).factor).not.toHaveProperty('lockedUntil');
  });
});

describe('reset', () => {
  it('decides again when a send changed the factor between its read and its write', async () => {
    await activeUser('u1');
    let raced: string | undefined;
    interfere = async () => {
      raced = (await challenges.authenticate(store.id, 'u1')).id;
    };
    await support.reset(store.id, 'u1', 'admin', 'lost');
    // The challenge the race started was read on the second round and closed with the factor.
    expect(ports.challengeItems.get(raced!)?.closedAt).toBe(T0);
    expect(audits.map((a) => [a.type, a.data.reason])).toEqual([['admin.factor.reset', 'lost']]);
    expect(notices).toEqual([A]);
    expect(events.filter((e) => e.type === 'factor.removed').map((e) => e.data.by)).toEqual(['admin']);
  });

  it('404 with neither a factor nor a remembered number; no audit then', async () => {
    expect(await slug(support.reset(store.id, 'ghost', 'admin', 'x'))).toBe('not-found');
    expect(audits).toEqual([]);
    expect(events).toEqual([]);
  });

  it('resetAt shows for 7 days', () => {
    expect(shownResetAt(null, T0)).toBeUndefined();
    expect(shownResetAt(T0, T0 + RESET_SHOWN_MS - 1)).toBe(new Date(T0).toISOString());
    expect(shownResetAt(T0, T0 + RESET_SHOWN_MS)).toBeUndefined();
  });
});

describe('unlock', () => {
  it('resets the failure streak of an unlocked factor too, and records each unlock', async () => {
    await activeUser('u1');
    ports.factorItems.get(`${store.id}#u1`)!.failureCount = 7;
    await support.unlock(store.id, 'u1', 'admin');
    expect(ports.factorItems.get(`${store.id}#u1`)!.failureCount).toBe(0);
    expect(audits.map((a) => a.data)).toEqual([{ actor: 'admin', storeId: store.id, userId: 'u1' }]);
    expect(events.map((e) => e.type)).toContain('admin.factor.unlocked');
    expect(await slug(support.unlock(store.id, 'nobody', 'admin'))).toBe('not-found');
  });
});
