import type { SendOrigin } from '../sending/send-plan.ts';
import type { Clock } from '../../ports/clock.ts';
import { keyedPhone, type Pepper } from '../codes/pepper.ts';
import type { FactorStore } from '../../ports/factor-store.ts';
import { Conflict } from '../errors.ts';
import type { IdentityStore } from '../identity-stores/identity-store.ts';
import { sendablePhone } from '../sending/send-guards.ts';
import type { ChallengeView } from './challenge.ts';
import type { CodeIssuer } from './issue-code.ts';
import { assertNotLocked, MAX_STALE_RETRIES, staleConflict } from './use-case-support.ts';

/**
 * `POST .../sms-factor/challenges`: a sign-in code to the active factor's number. The send's transaction
 * requires the factor to be active with that very number, so a removal or a replacement in between makes
 * it read again instead of sending to a number the user no longer has.
 */
export class Authenticate {
  constructor(
    private readonly deps: { factors: FactorStore; issuer: CodeIssuer; clock: Clock; pepper: Pepper },
  ) {}

  async run(store: IdentityStore, userId: string, origin: SendOrigin): Promise<ChallengeView> {
    for (let tries = 0; tries <= MAX_STALE_RETRIES; tries++) {
      const factor = await this.deps.factors.get(store.id, userId);
      if (factor?.status !== 'active' || !factor.phone)
        throw new Conflict('The user has no active SMS factor.');
      assertNotLocked(factor, this.deps.clock.now().getTime());
      const phone = sendablePhone(store, factor.phone, origin.channel);
      const outcome = await this.deps.issuer.issue({
        facts: {
          store,
          phone,
          purpose: 'authenticate',
          origin,
          pointer: factor.pointers.authenticate,
          factor,
        },
        phoneKey: await keyedPhone(this.deps.pepper, phone.e164),
        userId,
        target: { kind: 'user', storeId: store.id, userId, purpose: 'authenticate' },
        expectation: { kind: 'active', phone: factor.phone },
        approval: null,
        newChallengeAllowed: true,
      });
      if (outcome.kind === 'sent') return outcome.challenge;
    }
    throw staleConflict();
  }
}
