import type { FactorStore } from '../../ports/factor-store.ts';
import { keyedPhone, type Pepper } from '../codes/pepper.ts';
import type { IdentityStore } from '../identity-stores/identity-store.ts';
import { sendablePhone } from '../sending/send-guards.ts';
import type { ChallengeView } from './challenge.ts';
import type { CodeIssuer } from './issue-code.ts';
import type { SendOrigin } from '../sending/send-plan.ts';
import { MAX_STALE_RETRIES, staleConflict } from './use-case-support.ts';

/** `POST /v1/verifications`: a code to a number with no user (sign-up); the pointer lives per phone. */
export class VerifyPhone {
  constructor(private readonly deps: { factors: FactorStore; issuer: CodeIssuer; pepper: Pepper }) {}

  async run(store: IdentityStore, phoneNumber: string, origin: SendOrigin): Promise<ChallengeView> {
    const phone = sendablePhone(store, phoneNumber, origin.channel);
    const phoneKey = await keyedPhone(this.deps.pepper, phone.e164);
    for (let tries = 0; tries <= MAX_STALE_RETRIES; tries++) {
      const outcome = await this.deps.issuer.issue({
        facts: {
          store,
          phone,
          purpose: 'verify-phone',
          origin,
          pointer: await this.deps.factors.phonePointer(store.id, phoneKey),
          factor: undefined,
        },
        phoneKey,
        userId: null,
        target: { kind: 'phone', storeId: store.id, phoneKey },
        expectation: { kind: 'none' },
        approval: null,
        newChallengeAllowed: true,
      });
      if (outcome.kind === 'sent') return outcome.challenge;
    }
    throw staleConflict();
  }
}
