import type { ChallengeStore } from '../../ports/challenge-store.ts';
import type { Clock } from '../../ports/clock.ts';
import { noEvents, type EventPort } from '../../ports/events.ts';
import { ChallengeUsed, Conflict, NotFound } from '../errors.ts';
import { approvalOf, isOpen, type ChallengeRecord } from './challenge.ts';
import { ChallengeEvents, subjectOfRecord } from './challenge-events.ts';

/** Who asks: the key's store, and its application (null: a store-level key, which may cancel any). */
export interface CancelCaller {
  storeId: string;
  applicationId: string | null;
}

/**
 * What a cancel does to the challenge as read: `cancel` writes (on condition that nothing was counted
 * since the read), `ended` answers 204 and changes nothing, the others are refusals.
 */
export type CancelDecision = 'not-found' | 'used' | 'ended' | 'cancel';

export function decideCancel(
  challenge: ChallengeRecord | undefined,
  caller: CancelCaller,
  now: number,
): CancelDecision {
  if (!challenge || challenge.storeId !== caller.storeId) return 'not-found';
  // An application's key sees only its own application's challenges (api.md "Cancel").
  if (caller.applicationId !== null && challenge.applicationId !== caller.applicationId) return 'not-found';
  if (approvalOf(challenge)) return 'used';
  return isOpen(challenge, now) ? 'cancel' : 'ended';
}

const MAX_ROUNDS = 100;

export interface CancelDeps {
  challenges: Pick<ChallengeStore, 'get' | 'cancel'>;
  clock: Clock;
  events?: EventPort | undefined;
}

/**
 * `POST /v1/challenges/{id}/cancel`. The decision is made on the challenge as read and written on
 * condition that its attempt count is unchanged: a verify counted in between (the only way an approval
 * can appear) fails the write, and the decision is taken again on what it left. A verify after the
 * write finds the challenge expired. So a cancel and a right code never both succeed.
 */
export class CancelChallenge {
  private readonly events: ChallengeEvents;

  constructor(private readonly deps: CancelDeps) {
    this.events = new ChallengeEvents(deps.events ?? noEvents);
  }

  async run(caller: CancelCaller, challengeId: string): Promise<void> {
    // Each lost write means one more attempt was counted, so the rounds are bounded by maxAttempts (which
    // api.md bounds); the cap only guards against a condition that could never hold.
    for (let round = 0; round < MAX_ROUNDS; round++) {
      const challenge = await this.deps.challenges.get(challengeId);
      const now = this.deps.clock.now().getTime();
      const decision = decideCancel(challenge, caller, now);
      if (decision === 'not-found') throw new NotFound('The challenge');
      if (decision === 'used') throw new ChallengeUsed();
      if (decision === 'ended' || !challenge) return;
      if (await this.deps.challenges.cancel(challengeId, challenge.attempts, now)) {
        this.events.failed(subjectOfRecord(challenge), 'canceled');
        return;
      }
    }
    throw new Conflict('The challenge kept changing during the cancel; retry.');
  }
}
