import type { ChallengeStore } from '../../ports/challenge-store.ts';
import type { Clock } from '../../ports/clock.ts';
import type { FactorStore } from '../../ports/factor-store.ts';
import type { ReplacementNotifier } from '../../ports/replacement-notifier.ts';
import type { Telemetry } from '../../ports/telemetry.ts';
import { noEvents, type EventPort } from '../../ports/events.ts';
import { ChallengeEvents, factorData, subjectOfRecord } from './challenge-events.ts';
import { codeHash, testCodeDigest } from '../codes/code.ts';
import { keyedPhone, type Pepper } from '../codes/pepper.ts';
import {
  ChallengeExpired,
  ChallengeUsed,
  Conflict,
  InvalidCode,
  NotFound,
  TooManyAttempts,
} from '../errors.ts';
import type { PointerTarget } from '../factors/factor.ts';
import {
  approvalOf,
  judgeAttempt,
  LAST_USED_RESOLUTION_MS,
  refusalOf,
  type ChallengePurpose,
  type ChallengeRecord,
} from './challenge.ts';
import { recordFailure } from './failure-streak.ts';
import { closeChallenges } from './challenge-endings.ts';
import type { SendCounters } from '../../ports/send-counters.ts';
import { takeOffUnverified } from '../fraud/approval-uncount.ts';

export interface Approval {
  status: 'approved';
  purpose: ChallengePurpose;
  userId?: string;
  phoneNumber?: string;
  verifiedAt: string;
}

export interface VerifyDeps {
  challenges: ChallengeStore;
  factors: FactorStore;
  notifier: ReplacementNotifier;
  pepper: Pepper;
  clock: Clock;
  telemetry: Telemetry;
  events?: EventPort;
  counters?: Pick<SendCounters, 'refund'>;
  /**
   * `inline` (local mode, the default): an approval takes its sends off the fraud guard's unverified
   * counts before the answer, beside the approval's other writes. `deferred`: the table's stream does it
   * (deployed), so a clean verify stays one round trip.
   */
  approvalUncount?: 'inline' | 'deferred';
}

const locked = (until: number, now: number) =>
  new TooManyAttempts('The SMS factor is locked after repeated failures.', (until - now) / 1000);

/**
 * `POST /v1/challenges/{id}/verify`: one conditional write counts the attempt and records which code was
 * presented in the storage's own order; the verdict is read from what that write returned, so exactly one
 * attempt can be the approval. A clean sign-in is that single write.
 */
export class VerifyCode {
  private readonly events: ChallengeEvents;

  constructor(private readonly deps: VerifyDeps) {
    this.events = new ChallengeEvents(deps.events ?? noEvents);
  }

  async run(storeId: string, challengeId: string, code: string): Promise<Approval> {
    const { challenges, clock, telemetry } = this.deps;
    const now = clock.now().getTime();
    // During a pepper rotation's overlap a code may have been hashed with either version.
    const peppers = await this.deps.pepper.versions();
    // A test number's challenge holds the hash of its fixed code's digest (number-class.ts).
    const digest = testCodeDigest(peppers.keys, storeId, code);
    const hashes = [peppers.current, ...(peppers.previous ? [peppers.previous] : [])].flatMap((pepper) => [
      codeHash(pepper.value, challengeId, code),
      codeHash(pepper.value, challengeId, digest),
    ]);
    const result = await challenges.attempt(challengeId, storeId, hashes, now);
    if (result.kind === 'refused') {
      const reason = refusalOf(result.before, storeId, now);
      telemetry.count('VerificationRefused', { reason });
      if (reason === 'not-found') throw new NotFound('The challenge');
      if (reason === 'used') throw new ChallengeUsed();
      if (reason === 'expired') throw new ChallengeExpired();
      const lockedUntil = result.before?.lockedUntil;
      if (reason === 'locked' && lockedUntil) throw locked(lockedUntil, now);
      throw new TooManyAttempts('Too many wrong codes: the challenge is closed; ask for a new one.');
    }
    const challenge = result.after;
    const verdict = judgeAttempt(challenge, hashes);
    telemetry.count('VerificationAttempt', { outcome: verdict.kind, purpose: challenge.purpose });
    if (verdict.kind === 'used') throw new ChallengeUsed();
    if (verdict.kind === 'expired') throw new ChallengeExpired();
    if (verdict.kind === 'wrong') {
      // The one write that used the last attempt decides the challenge's failure.
      if (verdict.attemptsRemaining === 0)
        this.events.failed(subjectOfRecord(challenge), 'too-many-attempts');
      await this.afterWrongCode(challenge, now);
      throw new InvalidCode(verdict.attemptsRemaining);
    }
    const approved = approvalOf(challenge);
    this.events.approved(
      subjectOfRecord(challenge),
      challenge.attempts,
      approved && challenge.codes[approved.hash],
    );
    await Promise.all([this.afterApproval(challenge, now), this.uncount(challenge)]);
    return {
      status: 'approved',
      purpose: challenge.purpose,
      ...(challenge.userId ? { userId: challenge.userId } : {}),
      ...(challenge.purpose === 'verify-phone' ? { phoneNumber: challenge.phone } : {}),
      verifiedAt: new Date(now).toISOString(),
    };
  }

  /** The approved challenge's sends no longer count as unverified, in the hours they were sent in. */
  private async uncount(challenge: ChallengeRecord): Promise<void> {
    const { counters, approvalUncount } = this.deps;
    if (!counters || approvalUncount === 'deferred' || !challenge.unverified?.length) return;
    await takeOffUnverified(counters, challenge);
  }

  private async afterWrongCode(challenge: ChallengeRecord, now: number): Promise<void> {
    const { factors, challenges } = this.deps;
    const [, lockedUntil] = await Promise.all([
      // The next resend then knows the attempt count without reading the challenge.
      factors.notePointerAttempts(await this.pointerTargetOf(challenge), challenge.id, challenge.attempts),
      challenge.userId
        ? recordFailure(
            { factors, challenges, events: this.deps.events },
            challenge.storeId,
            challenge.userId,
            now,
          )
        : Promise.resolve(null),
    ]);
    if (lockedUntil) throw locked(lockedUntil, now);
  }

  private async afterApproval(challenge: ChallengeRecord, now: number): Promise<void> {
    const { factors, challenges, telemetry } = this.deps;
    // By country too: the dashboard sets approvals beside codes sent per country (conversion). The
    // country is the send's (stored on the challenge): verify parses no number.
    const country = challenge.country ?? 'unknown';
    telemetry.count('VerificationApproved', { purpose: challenge.purpose, country });
    const { storeId, userId } = challenge;
    if (!userId) return;
    if (challenge.purpose === 'enroll') {
      const before = await factors.activate(storeId, userId, challenge.id, now);
      if (!before) throw new Conflict('The enrollment was cancelled or replaced by a newer one.');
      const replaced = before.status === 'active' && before.phone && before.phone !== before.pendingPhone;
      const events = this.deps.events ?? noEvents;
      events.emit(replaced ? 'factor.replaced' : 'factor.activated', {
        ...factorData(storeId, userId, challenge.phone, challenge.country),
        challengeId: challenge.id,
      });
      if (!replaced || !before.phone) return;
      // The old number's sign-in codes end with it, and it hears that it no longer receives codes.
      const open = before.pointers.authenticate ? [before.pointers.authenticate.challengeId] : [];
      await Promise.all([
        closeChallenges({ challenges, events: this.deps.events }, open, now),
        this.notifyReplacedNumber(storeId, before.phone),
      ]);
      return;
    }
    const stale =
      !challenge.factorLastUsedAt || Date.parse(challenge.factorLastUsedAt) < now - LAST_USED_RESOLUTION_MS;
    if (challenge.factorFailuresAtIssue > 0 || challenge.attempts > 1 || stale) {
      await factors.recordSuccess(storeId, userId, now);
    }
  }

  private async pointerTargetOf(challenge: ChallengeRecord): Promise<PointerTarget> {
    if (challenge.purpose === 'verify-phone' || !challenge.userId) {
      return {
        kind: 'phone',
        storeId: challenge.storeId,
        phoneKey: await keyedPhone(this.deps.pepper, challenge.phone),
      };
    }
    return { kind: 'user', storeId: challenge.storeId, userId: challenge.userId, purpose: challenge.purpose };
  }

  /** A failure to tell the old number must not undo the change. */
  private async notifyReplacedNumber(storeId: string, phone: string): Promise<void> {
    try {
      await this.deps.notifier.notify(storeId, phone);
    } catch {
      this.deps.telemetry.count('ReplacementNoticeFailed');
    }
  }
}
