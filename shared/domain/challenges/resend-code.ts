import { codeHash } from '../codes/code.ts';
import { RateLimited } from '../errors.ts';
import type { SendPointer } from '../factors/factor.ts';
import type { SendPlan } from '../sending/send-plan.ts';
import { limitMessage } from '../sending/send-windows.ts';
import { isLive, MAX_SENDS_PER_CHALLENGE } from './challenge.ts';
import {
  countBeside,
  firstAttemptCounts,
  issuedCode,
  settle,
  type BesideCounts,
  type IssueDeps,
  type IssueRequest,
  type PendingSend,
} from './pending-send.ts';

/** The live challenge was not live after all: start a new one, with the counts beside already taken. */
export interface Closed {
  closed: true;
  counted: BesideCounts;
  /**
   * The failed attempts of a canceled challenge, which the new one starts with (api.md "Cancel"): the
   * pointer was still live, so the canceled challenge would not have expired yet.
   */
  carriedAttempts: number;
}

/**
 * A new code for the live challenge, written on condition that its attempt count is what the pointer
 * recorded (so no read is needed, and no approval can have happened). A mismatch hands back the challenge
 * as it is: resend with its real count, or `closed` (start a new challenge) when it is no longer live.
 */
export async function resendCode(
  deps: IssueDeps,
  request: IssueRequest,
  plan: SendPlan,
  pointer: SendPointer,
): Promise<PendingSend | 'stale' | Closed> {
  const { now } = plan;
  const code = issuedCode(deps.random, plan);
  const hash = codeHash(await deps.pepper.get(), pointer.challengeId, code);
  let attempts = pointer.attempts ?? 0;
  let maxAttempts = pointer.maxAttempts ?? plan.store.codePolicy.maxAttempts;
  for (let tries = 0; tries < 2; tries++) {
    const [refusal, beside] = await Promise.all([
      deps.ledger.resend({
        challengeId: pointer.challengeId,
        phoneKey: request.phoneKey,
        expectedAttempts: attempts,
        hash,
        codeExpiry: plan.expiresAt,
        windows: plan.windows,
        pointer: request.target,
        resendIntervalMs: plan.resendIntervalMs,
        unverified: plan.fraud.unverified,
        now,
      }),
      countBeside(deps, plan, request.phoneKey),
    ]);
    const { storeWins, fraud } = beside;
    if (refusal?.part === 'challenge') {
      const current = refusal.challenge;
      // The counts just taken then serve the new challenge.
      if (!current || !isLive(current, now)) {
        const carriedAttempts = current?.canceledAt === undefined ? 0 : current.attempts;
        return { closed: true, counted: beside, carriedAttempts };
      }
      const held = [...storeWins, ...fraud.taken];
      if (held.length > 0) await deps.counters.refund(plan.store.id, request.phoneKey, held);
      if (current.sends >= MAX_SENDS_PER_CHALLENGE) {
        deps.telemetry.count('SendRefused', { reason: 'maxSends' });
        throw new RateLimited(limitMessage('resendInterval'), (current.expiresAt - now) / 1000);
      }
      ({ attempts, maxAttempts } = current);
      continue;
    }
    const pending: PendingSend = {
      request,
      plan,
      challenge: {
        id: pointer.challengeId,
        phone: pointer.phone,
        attempts,
        maxAttempts,
        expiresAt: plan.expiresAt,
        lastSentAt: now,
      },
      hash,
      code,
      counted: firstAttemptCounts(plan, beside),
      isNew: false,
      fraud,
    };
    return settle(deps, pending, refusal, beside, now);
  }
  return 'stale';
}
