import type { ChallengeStore } from '../../ports/challenge-store.ts';
import type { Clock } from '../../ports/clock.ts';
import type { SendCounters } from '../../ports/send-counters.ts';
import type { SendHistory } from '../../ports/send-history.ts';
import { approvalOf, type ChallengeRecord } from '../challenges/challenge.ts';
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
    // The event names the store: a challenge of another store (or none) is not this event's.
    const approved = challenge && challenge.storeId === storeId ? challenge : undefined;
    const approval = approved && approvalOf(approved);
    if (!approved || !approval) return 'nothing-to-uncount';
    // The approval's ending, written here rather than beside verify's answer (SendRecorder, deferred),
    // beside the un-count's mark: the same item whatever delivery of the event writes it.
    const [outcome] = await Promise.all([
      this.uncount(approved),
      this.deps.history.recordEnd(storeId, challengeId, {
        status: 'approved',
        at: new Date(approval.at).toISOString(),
        attempts: approved.attempts,
      }),
    ]);
    return outcome;
  }

  private async uncount(challenge: ChallengeRecord): Promise<UncountOutcome> {
    if (!challenge.unverified?.length) return 'nothing-to-uncount';
    if (challenge.uncountedAt !== undefined) return 'already-uncounted';
    if (!(await this.deps.challenges.markUncounted(challenge.id, this.deps.clock.now().getTime()))) {
      return 'already-uncounted';
    }
    await takeOffUnverified(this.deps.counters, challenge);
    return 'uncounted';
  }
}
