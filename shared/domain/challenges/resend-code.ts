import { codeHash } from '../codes/code.ts';
import { RateLimited } from '../errors.ts';
import type { SendPointer } from '../factors/factor.ts';
import { limitMessage, type CounterWindow } from '../sending/send-windows.ts';
import { isLive, MAX_SENDS_PER_CHALLENGE } from './challenge.ts';
import { settle, type IssueDeps, type IssueRequest, type PendingSend } from './pending-send.ts';
import { countIssuedStoreSend, issuedCode, issueWindows } from './classified-send.ts';
import { evaluateFraudGuard, type FraudVerdict } from '../fraud/fraud-guard.ts';
import { fraudPlanOf } from './guarded-send.ts';

/** The live challenge was not live after all: start a new one, with the store-wide count already taken. */
export interface Closed {
  closed: true;
  storeWin: CounterWindow | null;
  fraud: FraudVerdict;
}

/**
 * A new code for the live challenge, written on condition that its attempt count is what the pointer
 * recorded (so no read is needed, and no approval can have happened). A mismatch hands back the challenge
 * as it is: resend with its real count, or `closed` (start a new challenge) when it is no longer live.
 */
export async function resendCode(
  deps: IssueDeps,
  request: IssueRequest,
  pointer: SendPointer,
  now: number,
): Promise<PendingSend | 'stale' | Closed> {
  const { store, target } = request;
  const policy = store.codePolicy;
  const code = issuedCode(deps, request);
  const hash = codeHash(await deps.pepper.get(), pointer.challengeId, code);
  const codeExpiry = now + policy.ttlSeconds * 1000;
  const windows = issueWindows(request, now);
  let attempts = pointer.attempts ?? 0;
  let maxAttempts = pointer.maxAttempts ?? policy.maxAttempts;
  const plan = fraudPlanOf(deps, request, now);
  for (let tries = 0; tries < 2; tries++) {
    const [refusal, storeWin, fraud] = await Promise.all([
      deps.ledger.resend({
        challengeId: pointer.challengeId,
        phoneKey: request.phoneKey,
        expectedAttempts: attempts,
        hash,
        codeExpiry,
        windows,
        pointer: target,
        resendIntervalMs: policy.resendIntervalSeconds * 1000,
        unverified: plan.unverified,
        now,
      }),
      countIssuedStoreSend(deps, request, now),
      evaluateFraudGuard(deps, store, request.phone, request.phoneKey, plan),
    ]);
    if (refusal?.part === 'challenge') {
      const current = refusal.challenge;
      // The counts just taken then serve the new challenge.
      if (!current || !isLive(current, now)) return { closed: true, storeWin, fraud };
      const held = [...(storeWin ? [storeWin] : []), ...fraud.taken];
      if (held.length > 0) await deps.counters.refund(store.id, request.phoneKey, held);
      if (current.sends >= MAX_SENDS_PER_CHALLENGE) {
        deps.telemetry.count('SendRefused', { reason: 'maxSends' });
        throw new RateLimited(limitMessage('resendInterval'), (current.expiresAt - now) / 1000);
      }
      ({ attempts, maxAttempts } = current);
      continue;
    }
    const pending: PendingSend = {
      request,
      challenge: {
        id: pointer.challengeId,
        phone: pointer.phone,
        attempts,
        maxAttempts,
        expiresAt: codeExpiry,
        lastSentAt: now,
      },
      hash,
      code,
      counted: [...windows, ...(storeWin ? [storeWin] : [])],
      isNew: false,
      fraud,
    };
    return settle(deps, pending, refusal, storeWin, now);
  }
  return 'stale';
}
