import type { ChallengeStore } from '../../ports/challenge-store.ts';
import { noEvents, type EventPort } from '../../ports/events.ts';
import type { FailureReason } from '../events/event-types.ts';
import { endedByLock, isOpen, type ChallengeRecord } from './challenge.ts';
import { ChallengeEvents, subjectOfRecord } from './challenge-events.ts';

interface EndingDeps {
  challenges: ChallengeStore;
  events?: EventPort | undefined;
}

/**
 * Closes challenges (a newer enrollment, a replaced or removed factor): each one that was still open
 * fails with `closed`. The store returns each closed challenge to one caller only, so once.
 */
export async function closeChallenges(deps: EndingDeps, ids: readonly string[], now: number): Promise<void> {
  const before = await deps.challenges.close(ids, now);
  failEach(deps, before, now, 'closed', () => true);
}

/**
 * Locks a factor's challenges; an open one whose lock outlasts it has ended with the wrong code that
 * locked the factor: it fails with `invalid-code`. One that outlives the lock goes on.
 */
export async function lockChallenges(
  deps: EndingDeps,
  ids: readonly string[],
  until: number,
  now: number,
): Promise<void> {
  const before = await deps.challenges.lockUntil(ids, until, now);
  failEach(deps, before, now, 'invalid-code', (challenge) =>
    endedByLock({ lockedUntil: until, expiresAt: challenge.expiresAt }),
  );
}

function failEach(
  deps: EndingDeps,
  before: readonly ChallengeRecord[],
  now: number,
  reason: FailureReason,
  ended: (challenge: ChallengeRecord) => boolean,
): void {
  const events = new ChallengeEvents(deps.events ?? noEvents);
  for (const challenge of before) {
    if (isOpen(challenge, now) && ended(challenge)) events.failed(subjectOfRecord(challenge), reason);
  }
}
