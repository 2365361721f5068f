import type { ChallengeStore } from '../../ports/challenge-store.ts';
import type { EventPort } from '../../ports/events.ts';
import type { FactorStore } from '../../ports/factor-store.ts';
import { lockChallenges } from './challenge-endings.ts';
import { FACTOR_LOCK_AFTER_FAILURES, FACTOR_LOCK_MS } from '../factors/factor.ts';

/**
 * A wrong code adds to the user's streak of failures across challenges; at the threshold the factor is
 * locked and its live challenges refuse attempts until the lock ends (those it outlasts fail with
 * `invalid-code`). Returns the lock's end, if locked.
 */
export async function recordFailure(
  deps: { factors: FactorStore; challenges: ChallengeStore; events?: EventPort | undefined },
  storeId: string,
  userId: string,
  now: number,
): Promise<number | null> {
  const after = await deps.factors.addFailure(storeId, userId);
  if (!after || after.failureCount < FACTOR_LOCK_AFTER_FAILURES) return null;
  const until = now + FACTOR_LOCK_MS;
  if (!(await deps.factors.lock(storeId, userId, until, FACTOR_LOCK_AFTER_FAILURES))) {
    // Another failing request locked it first.
    return (await deps.factors.get(storeId, userId))?.lockedUntil ?? null;
  }
  // Only the request whose lock write succeeded gets here: one `factor.locked` per lock.
  deps.events?.emit('factor.locked', {
    storeId,
    userId,
    lockedUntil: new Date(until).toISOString(),
    failures: after.failureCount,
  });
  await lockChallenges(
    deps,
    Object.values(after.pointers).map((pointer) => pointer.challengeId),
    until,
    now,
  );
  return until;
}
