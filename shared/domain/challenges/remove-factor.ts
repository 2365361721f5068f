import type { ChallengeStore } from '../../ports/challenge-store.ts';
import type { Clock } from '../../ports/clock.ts';
import { noEvents, type EventPort } from '../../ports/events.ts';
import type { FactorStore } from '../../ports/factor-store.ts';
import { NotFound } from '../errors.ts';
import { factorNumber } from '../factors/factor.ts';
import { closeChallenges } from './challenge-endings.ts';
import { factorData } from './challenge-events.ts';

export interface RemoveFactorDeps {
  factors: Pick<FactorStore, 'remove'>;
  challenges: ChallengeStore;
  clock: Clock;
  events?: EventPort | undefined;
}

/** `DELETE /v1/users/{userId}/sms-factor`: the factor's live challenges end with it (`challenge-expired`). */
export class RemoveFactor {
  constructor(private readonly deps: RemoveFactorDeps) {}

  async run(storeId: string, userId: string): Promise<void> {
    const before = await this.deps.factors.remove(storeId, userId);
    if (!before) throw new NotFound('The SMS factor');
    const { phone, country } = factorNumber(before);
    (this.deps.events ?? noEvents).emit('factor.removed', factorData(storeId, userId, phone, country));
    const open = Object.values(before.pointers).map((pointer) => pointer.challengeId);
    await closeChallenges(this.deps, open, this.deps.clock.now().getTime());
  }
}
