import type { FactorStore } from '../../ports/factor-store.ts';
import type { IdentityStore } from '../identity-stores/identity-store.ts';
import { sendablePhone } from '../sending/send-guards.ts';
import type { ChallengeView } from './challenge.ts';
import type { CodeIssuer } from './issue-code.ts';
import { MAX_STALE_RETRIES, staleConflict } from './use-case-support.ts';

/** `POST /v1/verifications`: a code to a number with no user (sign-up); the pointer lives per phone. */
export class VerifyPhone {
  constructor(private readonly deps: { factors: FactorStore; issuer: CodeIssuer }) {}

  async run(store: IdentityStore, phoneNumber: string): Promise<ChallengeView> {
    const phone = sendablePhone(store, phoneNumber);
    for (let tries = 0; tries <= MAX_STALE_RETRIES; tries++) {
      const outcome = await this.deps.issuer.issue({
        store,
        phone,
        purpose: 'verify-phone',
        userId: null,
        target: { kind: 'phone', storeId: store.id, phone: phone.e164 },
        pointer: await this.deps.factors.phonePointer(store.id, phone.e164),
        factor: undefined,
        expectation: { kind: 'none' },
        newChallengeAllowed: true,
      });
      if (outcome.kind === 'sent') return outcome.challenge;
    }
    throw staleConflict();
  }
}
