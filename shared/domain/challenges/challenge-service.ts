import type { ChallengeRepository, PointerTarget, SendWindow } from '../../ports/challenge-repository.ts';
import { LimitReached, NotResendable, StaleState } from '../../ports/challenge-repository.ts';
import type { Clock } from '../../ports/clock.ts';
import type { Random } from '../../ports/random.ts';
import type { ReplacementNotifier } from '../../ports/replacement-notifier.ts';
import type { Telemetry } from '../../ports/telemetry.ts';
import { codeHash, generateCode } from '../codes/code.ts';
import type { PepperSource } from '../codes/pepper.ts';
import {
  ChallengeExpired,
  ChallengeUsed,
  Conflict,
  Forbidden,
  InvalidCode,
  NotFound,
  RateLimited,
  TooManyAttempts,
  Unauthorized,
  ValidationFailed,
} from '../errors.ts';
import type { FactorRecord, SendPointer } from '../factors/factor.ts';
import { newId } from '../ids.ts';
import type { IdentityStore } from '../identity-stores/identity-store.ts';
import { maskPhone, type PhoneNumber } from '../phone.ts';
import { sendablePhone } from '../sending/send-guards.ts';
import type { SmsDelivery } from '../sending/sms-delivery.ts';
import { renderTemplate } from '../sms-encoding.ts';
import {
  approvalOf,
  judgeAttempt,
  LAST_USED_RESOLUTION_MS,
  MAX_SENDS_PER_CHALLENGE,
  REPLACEMENT_APPROVAL_WINDOW_MS,
  refusalOf,
  type ChallengePurpose,
  type ChallengeRecord,
} from './challenge.ts';

export interface ChallengeServiceDeps {
  challenges: ChallengeRepository;
  /** Cached store configuration. */
  stores: { get(id: string): Promise<IdentityStore | undefined> };
  delivery: SmsDelivery;
  notifier: ReplacementNotifier;
  pepper: PepperSource;
  clock: Clock;
  random: Random;
  telemetry: Telemetry;
}

export interface ChallengeView {
  id: string;
  purpose: ChallengePurpose;
  maskedPhone: string;
  expiresAt: string;
  resendAvailableAt: string;
  attemptsRemaining: number;
}

export interface Approval {
  status: 'approved';
  purpose: ChallengePurpose;
  userId?: string;
  phoneNumber?: string;
  verifiedAt: string;
}

export interface FactorView {
  status: 'pending' | 'active';
  maskedPhone: string;
  verifiedAt?: string;
  lastUsedAt?: string;
}

/** What a send's answer is made of. */
type SentChallenge = Pick<
  ChallengeRecord,
  'id' | 'purpose' | 'phone' | 'attempts' | 'maxAttempts' | 'expiresAt' | 'lastSentAt'
>;

interface IssuePlan {
  store: IdentityStore;
  phone: PhoneNumber;
  purpose: ChallengePurpose;
  userId: string | null;
  target: PointerTarget;
  pendingEnrollment: boolean;
  factor: FactorRecord | undefined;
  /** Reads the pointer again after a lost race. */
  readPointer: () => Promise<SendPointer | undefined>;
}

export class ChallengeService {
  constructor(private readonly deps: ChallengeServiceDeps) {}

  async enroll(
    storeId: string,
    userId: string,
    input: { phoneNumber?: string; approvedChallengeId?: string },
  ) {
    const store = await this.store(storeId);
    const factor = await this.deps.challenges.getFactor(storeId, userId);
    this.assertNotLocked(factor);
    const number = input.phoneNumber ?? factor?.lastVerifiedPhone ?? undefined;
    if (!number) {
      throw new ValidationFailed([
        { path: 'phoneNumber', message: 'is required: the user has no verified number to reuse' },
      ]);
    }
    const phone = sendablePhone(store, number);
    if (factor?.status === 'active') {
      if (factor.phone === phone.e164)
        throw new Conflict('The SMS factor is already active with this number.');
      await this.assertReplacementApproved(storeId, userId, input.approvedChallengeId);
    }
    const target: PointerTarget = { kind: 'user', storeId, userId, purpose: 'enroll' };
    const challenge = await this.issue({
      store,
      phone,
      purpose: 'enroll',
      userId,
      target,
      pendingEnrollment: true,
      factor,
      readPointer: async () => (await this.deps.challenges.getFactor(storeId, userId))?.pointers.enroll,
    });
    return { status: 'pending' as const, challenge };
  }

  async authenticate(storeId: string, userId: string): Promise<ChallengeView> {
    const store = await this.store(storeId);
    const factor = await this.deps.challenges.getFactor(storeId, userId);
    if (factor?.status !== 'active' || !factor.phone)
      throw new Conflict('The user has no active SMS factor.');
    this.assertNotLocked(factor);
    return this.issue({
      store,
      phone: sendablePhone(store, factor.phone),
      purpose: 'authenticate',
      userId,
      target: { kind: 'user', storeId, userId, purpose: 'authenticate' },
      pendingEnrollment: false,
      factor,
      readPointer: async () => (await this.deps.challenges.getFactor(storeId, userId))?.pointers.authenticate,
    });
  }

  async verifyPhone(storeId: string, phoneNumber: string): Promise<ChallengeView> {
    const store = await this.store(storeId);
    const phone = sendablePhone(store, phoneNumber);
    return this.issue({
      store,
      phone,
      purpose: 'verify-phone',
      userId: null,
      target: { kind: 'phone', storeId, phone: phone.e164 },
      pendingEnrollment: false,
      factor: undefined,
      readPointer: () => this.deps.challenges.getPhonePointer(storeId, phone.e164),
    });
  }

  async verify(storeId: string, challengeId: string, code: string): Promise<Approval> {
    const { challenges, clock, random } = this.deps;
    const now = clock.now().getTime();
    const hash = codeHash(await this.deps.pepper.get(), challengeId, code);
    const stamp = `${random.bytes(9).toString('base64url')}@${now}`;
    const result = await challenges.attempt(challengeId, storeId, hash, stamp, now);
    if (result.kind === 'refused') {
      const reason = refusalOf(result.before, storeId, now);
      this.deps.telemetry.count('VerificationRefused', { reason });
      if (reason === 'not-found') throw new NotFound('The challenge');
      if (reason === 'used') throw new ChallengeUsed();
      if (reason === 'expired') throw new ChallengeExpired();
      const lockedUntil = result.before?.lockedUntil;
      if (reason === 'locked' && lockedUntil) {
        throw new TooManyAttempts(
          'The SMS factor is locked after repeated failures.',
          (lockedUntil - now) / 1000,
        );
      }
      throw new TooManyAttempts('Too many wrong codes: the challenge is closed; ask for a new one.');
    }
    const challenge = result.after;
    const verdict = judgeAttempt(challenge, hash, stamp);
    this.deps.telemetry.count('VerificationAttempt', { outcome: verdict.kind, purpose: challenge.purpose });
    if (verdict.kind === 'used') throw new ChallengeUsed();
    if (verdict.kind === 'expired') throw new ChallengeExpired();
    if (verdict.kind === 'wrong') {
      // The next resend then knows the attempt count without reading the challenge.
      await challenges.notePointerAttempts(pointerTargetOf(challenge), challenge.id, challenge.attempts);
      if (challenge.userId) {
        const { lockedUntil } = await challenges.recordFailure(storeId, challenge.userId, now);
        if (lockedUntil) {
          throw new TooManyAttempts(
            'The SMS factor is locked after repeated failures.',
            (lockedUntil - now) / 1000,
          );
        }
      }
      throw new InvalidCode(verdict.attemptsRemaining);
    }
    await this.afterApproval(challenge, now);
    return {
      status: 'approved',
      purpose: challenge.purpose,
      ...(challenge.userId ? { userId: challenge.userId } : {}),
      ...(challenge.purpose === 'verify-phone' ? { phoneNumber: challenge.phone } : {}),
      verifiedAt: new Date(now).toISOString(),
    };
  }

  async factor(storeId: string, userId: string): Promise<FactorView> {
    const factor = await this.deps.challenges.getFactor(storeId, userId);
    const phone = factor?.status === 'active' ? factor.phone : factor?.pendingPhone;
    if (!factor || factor.status === 'none' || !phone) throw new NotFound('The SMS factor');
    return {
      status: factor.status,
      maskedPhone: maskPhone(phone),
      ...(factor.verifiedAt && factor.status === 'active' ? { verifiedAt: factor.verifiedAt } : {}),
      ...(factor.lastUsedAt && factor.status === 'active' ? { lastUsedAt: factor.lastUsedAt } : {}),
    };
  }

  async removeFactor(storeId: string, userId: string): Promise<void> {
    if (!(await this.deps.challenges.removeFactor(storeId, userId))) throw new NotFound('The SMS factor');
  }

  private async afterApproval(challenge: ChallengeRecord, now: number): Promise<void> {
    const { challenges, telemetry } = this.deps;
    telemetry.count('VerificationApproved', { purpose: challenge.purpose });
    if (!challenge.userId) return;
    if (challenge.purpose === 'enroll') {
      let replaced: string | null;
      try {
        ({ replacedPhone: replaced } = await challenges.activateFactor(
          challenge.storeId,
          challenge.userId,
          challenge.id,
          now,
        ));
      } catch (error) {
        if (error instanceof StaleState)
          throw new Conflict('The enrollment was cancelled or replaced by a newer one.');
        throw error;
      }
      if (replaced) await this.notifyReplacedNumber(challenge.storeId, replaced);
      return;
    }
    const stale =
      !challenge.factorLastUsedAt || Date.parse(challenge.factorLastUsedAt) < now - LAST_USED_RESOLUTION_MS;
    if (challenge.factorFailuresAtIssue > 0 || challenge.attempts > 1 || stale) {
      await challenges.recordSuccess(challenge.storeId, challenge.userId, now);
    }
  }

  /** The old number hears that it no longer receives codes; a failure to tell it must not undo the change. */
  private async notifyReplacedNumber(storeId: string, phone: string): Promise<void> {
    try {
      await this.deps.notifier.notify(storeId, phone);
    } catch {
      this.deps.telemetry.count('ReplacementNoticeFailed');
    }
  }

  private async issue(plan: IssuePlan): Promise<ChallengeView> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.issueOnce(plan, await this.pointerOf(plan, attempt === 0));
      } catch (error) {
        if (error instanceof StaleState && attempt < 3) continue;
        if (error instanceof StaleState)
          throw new Conflict('Another request changed this challenge at the same moment; retry.');
        if (error instanceof LimitReached) {
          this.deps.telemetry.count('SendRefused', { reason: error.limit });
          if (error.limit === 'factorLocked') {
            throw new TooManyAttempts(
              'The SMS factor is locked after repeated failures.',
              error.retryAfterSeconds,
            );
          }
          throw new RateLimited(limitMessage(error.limit), error.retryAfterSeconds);
        }
        throw error;
      }
    }
  }

  /** The factor read up front carries a user's pointer; verify-phone and retries after a lost race read it. */
  private async pointerOf(plan: IssuePlan, firstAttempt: boolean): Promise<SendPointer | undefined> {
    if (firstAttempt && plan.target.kind === 'user') return plan.factor?.pointers[plan.target.purpose];
    return plan.readPointer();
  }

  private async issueOnce(plan: IssuePlan, pointer: SendPointer | undefined): Promise<ChallengeView> {
    const { challenges, clock, random, pepper } = this.deps;
    const { store, phone } = plan;
    const now = clock.now().getTime();
    const policy = store.codePolicy;
    const intervalMs = policy.resendIntervalSeconds * 1000;
    const window = { storeId: store.id, phone: phone.e164, limits: store.sendLimits, now };
    const code = generateCode(random, policy.length);
    const codeExpiry = now + policy.ttlSeconds * 1000;
    const secret = await pepper.get();

    if (pointer && pointer.expiresAt > now && pointer.phone === phone.e164) {
      const resent = await this.resend(plan, pointer, { code, codeExpiry, secret, window, intervalMs });
      if (resent) return resent;
    }
    const id = newId('ch', clock, random);
    const hash = codeHash(secret, id, code);
    const challenge: ChallengeRecord = {
      id,
      storeId: store.id,
      userId: plan.userId,
      purpose: plan.purpose,
      phone: phone.e164,
      codes: { [hash]: codeExpiry },
      tried: {},
      attempts: 0,
      maxAttempts: policy.maxAttempts,
      sends: 1,
      lastSentAt: now,
      expiresAt: codeExpiry,
      createdAt: new Date(now).toISOString(),
      factorFailuresAtIssue: plan.factor?.failureCount ?? 0,
      factorLastUsedAt: plan.factor?.lastUsedAt ?? null,
    };
    await challenges.startChallenge({
      challenge,
      window,
      pointer: plan.target,
      expectedPointer: pointer?.challengeId ?? null,
      resendIntervalMs: intervalMs,
      pendingEnrollment: plan.pendingEnrollment,
    });
    return this.deliver(plan, challenge, hash, code, window);
  }

  /**
   * A new code for the live challenge, written on condition that its attempt count is what the pointer
   * recorded (so no read is needed, and no approval can have happened). A mismatch hands back the
   * challenge as it is: resend with its real count, or start a new challenge when it is closed.
   */
  private async resend(
    plan: IssuePlan,
    pointer: SendPointer,
    sending: { code: string; codeExpiry: number; secret: Buffer; window: SendWindow; intervalMs: number },
  ): Promise<ChallengeView | undefined> {
    const { code, codeExpiry, secret, window, intervalMs } = sending;
    const now = window.now;
    const hash = codeHash(secret, pointer.challengeId, code);
    let attempts = pointer.attempts ?? 0;
    let maxAttempts = pointer.maxAttempts ?? plan.store.codePolicy.maxAttempts;
    for (let tries = 0; tries < 2; tries++) {
      try {
        await this.deps.challenges.resend({
          challengeId: pointer.challengeId,
          expectedAttempts: attempts,
          hash,
          codeExpiry,
          window,
          pointer: plan.target,
          resendIntervalMs: intervalMs,
        });
      } catch (error) {
        if (!(error instanceof NotResendable)) throw error;
        const current = error.current;
        const closed =
          !current ||
          approvalOf(current) ||
          current.attempts >= current.maxAttempts ||
          current.expiresAt <= now ||
          (current.lockedUntil !== undefined && current.lockedUntil > now);
        if (closed) return undefined;
        if (current.sends >= MAX_SENDS_PER_CHALLENGE) {
          throw new LimitReached('resendInterval', (current.expiresAt - now) / 1000);
        }
        ({ attempts, maxAttempts } = current);
        continue;
      }
      const sent = {
        id: pointer.challengeId,
        purpose: plan.purpose,
        phone: pointer.phone,
        attempts,
        maxAttempts,
      };
      return this.deliver(plan, { ...sent, expiresAt: codeExpiry, lastSentAt: now }, hash, code, window);
    }
    throw new StaleState('the challenge kept changing during the resend');
  }

  private async deliver(
    plan: IssuePlan,
    challenge: SentChallenge,
    hash: string,
    code: string,
    window: SendWindow,
  ): Promise<ChallengeView> {
    try {
      await this.deps.delivery.send(plan.store, {
        to: challenge.phone,
        body: renderTemplate(plan.store.smsAuth.messageTemplate, code),
      });
    } catch (error) {
      // Every gateway failed, or the provider refused the number: no code of this challenge may verify.
      await this.deps.challenges.abandonChallenge(challenge.id, hash, window, plan.target);
      throw error;
    }
    this.deps.telemetry.count('CodeSent', { purpose: challenge.purpose });
    return this.view(plan.store, challenge);
  }

  private view(store: IdentityStore, challenge: SentChallenge): ChallengeView {
    return {
      id: challenge.id,
      purpose: challenge.purpose,
      maskedPhone: maskPhone(challenge.phone),
      expiresAt: new Date(challenge.expiresAt).toISOString(),
      resendAvailableAt: new Date(
        challenge.lastSentAt + store.codePolicy.resendIntervalSeconds * 1000,
      ).toISOString(),
      attemptsRemaining: Math.max(challenge.maxAttempts - challenge.attempts, 0),
    };
  }

  private async store(storeId: string): Promise<IdentityStore> {
    const store = await this.deps.stores.get(storeId);
    if (!store) throw new Unauthorized('The API key belongs to an identity store that no longer exists.');
    return store;
  }

  private assertNotLocked(factor: FactorRecord | undefined): void {
    const now = this.deps.clock.now().getTime();
    if (factor?.lockedUntil && factor.lockedUntil > now) {
      throw new TooManyAttempts(
        'The SMS factor is locked after repeated failures.',
        (factor.lockedUntil - now) / 1000,
      );
    }
  }

  private async assertReplacementApproved(
    storeId: string,
    userId: string,
    challengeId: string | undefined,
  ): Promise<void> {
    const refuse = () =>
      new Forbidden(
        'Replacing the number of an active factor needs approvedChallengeId: an authenticate challenge of this user approved within the last 10 minutes.',
      );
    if (!challengeId) throw refuse();
    const challenge = await this.deps.challenges.getChallenge(challengeId);
    const approval = challenge && approvalOf(challenge);
    const now = this.deps.clock.now().getTime();
    if (
      !challenge ||
      !approval ||
      challenge.storeId !== storeId ||
      challenge.userId !== userId ||
      challenge.purpose !== 'authenticate' ||
      approval.at < now - REPLACEMENT_APPROVAL_WINDOW_MS
    ) {
      throw refuse();
    }
  }
}

function limitMessage(limit: LimitReached['limit']): string {
  switch (limit) {
    case 'perPhonePer10Minutes':
      return 'Too many codes were sent to this number in the last 10 minutes.';
    case 'perPhonePerDay':
      return 'Too many codes were sent to this number today.';
    case 'perStorePerDay':
      return "The identity store's daily SMS budget is used up.";
    default:
      return 'A code was sent moments ago; wait before asking for another.';
  }
}

function pointerTargetOf(challenge: ChallengeRecord): PointerTarget {
  if (challenge.purpose === 'verify-phone' || !challenge.userId) {
    return { kind: 'phone', storeId: challenge.storeId, phone: challenge.phone };
  }
  return { kind: 'user', storeId: challenge.storeId, userId: challenge.userId, purpose: challenge.purpose };
}
