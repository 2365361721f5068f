import type { ChallengeStore } from '../../ports/challenge-store.ts';
import { keyedPhone, type Pepper } from '../codes/pepper.ts';
import type { Clock } from '../../ports/clock.ts';
import type { FactorStore } from '../../ports/factor-store.ts';
import type { ApprovalUse } from '../../ports/issue-ledger.ts';
import { Conflict, ValidationFailed } from '../errors.ts';
import type { FactorRecord } from '../factors/factor.ts';
import type { IdentityStore } from '../identity-stores/identity-store.ts';
import { sendablePhone } from '../sending/send-guards.ts';
import { livePointer, type SendOrigin } from '../sending/send-plan.ts';
import {
  approvalOf,
  REPLACEMENT_APPROVAL_WINDOW_MS,
  type ChallengeRecord,
  type ChallengeView,
} from './challenge.ts';
import type { CodeIssuer } from './issue-code.ts';
import { replacementRefused } from './pending-send.ts';
import { assertNotLocked, MAX_STALE_RETRIES, staleConflict } from './use-case-support.ts';

export interface EnrollInput {
  phoneNumber?: string;
  approvedChallengeId?: string;
}

/**
 * `PUT .../sms-factor`: starts (or resends) an enrollment. While the factor is active, another number
 * needs an approval that the send's own transaction consumes, on condition that the factor still has the
 * number the approval's code went to; without one, the transaction requires the factor not to be active.
 * So no interleaving of requests lets an unapproved number replace an active one.
 */
export class Enroll {
  constructor(
    private readonly deps: {
      factors: FactorStore;
      challenges: ChallengeStore;
      issuer: CodeIssuer;
      clock: Clock;
      pepper: Pepper;
    },
  ) {}

  async run(
    store: IdentityStore,
    userId: string,
    input: EnrollInput,
    origin: SendOrigin,
  ): Promise<{ status: 'pending'; challenge: ChallengeView }> {
    const { factors, challenges, issuer, clock } = this.deps;
    const approvalRead = input.approvedChallengeId ? challenges.get(input.approvedChallengeId) : undefined;
    for (let tries = 0; tries <= MAX_STALE_RETRIES; tries++) {
      const [factor, approvalChallenge] = await Promise.all([factors.get(store.id, userId), approvalRead]);
      const now = clock.now().getTime();
      assertNotLocked(factor, now);
      const number = input.phoneNumber ?? factor?.lastVerifiedPhone ?? undefined;
      if (!number) {
        throw new ValidationFailed([
          { path: 'phoneNumber', message: 'is required: the user has no verified number to reuse' },
        ]);
      }
      const phone = sendablePhone(store, number, origin.channel);
      const phoneKey = await keyedPhone(this.deps.pepper, phone.e164);
      const pointer = factor?.pointers.enroll;
      const base = {
        facts: { store, phone, purpose: 'enroll' as const, origin, pointer, factor },
        phoneKey,
        userId,
      };
      const target = { kind: 'user' as const, storeId: store.id, userId, purpose: 'enroll' as const };
      let outcome;
      if (factor?.status === 'active' && factor.phone) {
        if (factor.phone === phone.e164)
          throw new Conflict('The SMS factor is already active with this number.');
        const expectation = { kind: 'active' as const, phone: factor.phone };
        if (livePointer(pointer, phone.e164, now)) {
          outcome = await issuer.issue({
            ...base,
            target,
            expectation,
            approval: null,
            newChallengeAllowed: false,
          });
        } else {
          const approval = replacementApproval(approvalChallenge, factor, input.approvedChallengeId, now);
          outcome = await issuer.issue({ ...base, target, expectation, approval, newChallengeAllowed: true });
        }
      } else {
        outcome = await issuer.issue({
          ...base,
          target,
          expectation: { kind: 'not-active' },
          approval: null,
          newChallengeAllowed: true,
        });
      }
      if (outcome.kind === 'sent') return { status: 'pending', challenge: outcome.challenge };
    }
    throw staleConflict();
  }
}

/**
 * An approval authorises a replacement when it is an approved `authenticate` challenge of this user and
 * store, not older than the window, not yet consumed or closed, and its code went to the factor's current
 * number. Every other case is the same 403, so that ids cannot be probed.
 */
function replacementApproval(
  challenge: ChallengeRecord | undefined,
  factor: FactorRecord,
  challengeId: string | undefined,
  now: number,
): ApprovalUse {
  const approval = challenge && approvalOf(challenge);
  if (
    !challengeId ||
    !challenge ||
    !approval ||
    challenge.storeId !== factor.storeId ||
    challenge.userId !== factor.userId ||
    challenge.purpose !== 'authenticate' ||
    challenge.phone !== factor.phone ||
    challenge.consumedAt !== undefined ||
    challenge.closedAt !== undefined ||
    approval.at < now - REPLACEMENT_APPROVAL_WINDOW_MS
  ) {
    throw replacementRefused();
  }
  return { challengeId, storeId: factor.storeId, userId: factor.userId, phone: challenge.phone };
}
