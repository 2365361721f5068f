import type { ChallengeStore } from '../../ports/challenge-store.ts';
import type { Clock } from '../../ports/clock.ts';
import type { SendCounters } from '../../ports/send-counters.ts';
import type { SendHistory } from '../../ports/send-history.ts';
import { approvalOf } from '../challenges/challenge.ts';
import { takeOffUnverified } from './approval-uncount.ts';

export type UncountOutcome = 'uncounted' | 'already-uncounted' | 'nothing-to-uncount';

/**
 * Deployed, verify answers after its one write and leaves the un-count to this use case, run by the
 * `challenge.approved` event (a rule on the event bus). An event may arrive twice: the challenge's
 * `uncountedAt` mark, set on condition that it is absent, lets exactly one delivery take the sends off.
 * The mark is set first, so a failure after it leaves the sends counted (the safe side: it can only
 * block sooner, and ends with the hour) rather than taking them off twice.
 */
export class DeferredUncount {
  constructor(
    private readonly deps: {
      challenges: Pick<ChallengeStore, 'get' | 'markUncounted'>;
      counters: Pick<SendCounters, 'refund'>;
      /** The approval's ending, which the challenge history shows after the challenge item is gone. */
      history: Pick<SendHistory, 'recordEnd'>;
      clock: Clock;
    },
  ) {}

  async approved(storeId: string, challengeId: string): Promise<UncountOutcome> {
    const challenge = await this.deps.challenges.get(challengeId);
    const approval = challenge && challenge.storeId === storeId ? approvalOf(challenge) : undefined;
    // Written here rather than beside verify's answer (SendRecorder, deferred): the same item whatever
    // delivery of the event writes it, so a redelivery changes nothing.
    if (challenge && approval) {
      await this.deps.history.recordEnd(storeId, challengeId, {
        status: 'approved',
        at: new Date(approval.at).toISOString(),
        attempts: challenge.attempts,
      });
    }
    // The event names the store: a challenge of another store (or none) is not this event's.
    if (
      !challenge ||
      challenge.storeId !== storeId ||
      !approvalOf(challenge) ||
      !challenge.unverified?.length
    ) {
      return 'nothing-to-uncount';
    }
    if (challenge.uncountedAt !== undefined) return 'already-uncounted';
    if (!(await this.deps.challenges.markUncounted(challengeId, this.deps.clock.now().getTime()))) {
      return 'already-uncounted';
    }
    await takeOffUnverified(this.deps.counters, challenge);
    return 'uncounted';
  }
}
