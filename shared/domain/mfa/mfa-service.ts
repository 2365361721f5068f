import type { IdentityStoreRepository } from '../../ports/identity-store-repository.ts';
import type { MfaPolicy } from '../applications/application.ts';
import { effectivePolicy } from '../applications/effective-policy.ts';
import type { Clock } from '../../ports/clock.ts';
import { Unauthorized } from '../errors.ts';
import { shownResetAt } from '../support/user-support.ts';
import { decideMfa, type FactorSummary, type MfaDecision } from './mfa-decision.ts';

/** Where a user's SMS factor state comes from. */
export interface FactorLookup {
  summary(storeId: string, userId: string): Promise<FactorSummary>;
}

export interface MfaServiceDeps {
  stores: Pick<IdentityStoreRepository, 'get'>;
  factors: FactorLookup;
  /** Judges whether a reset is recent enough to show. */
  clock: Clock;
}

export class MfaService {
  constructor(private readonly deps: MfaServiceDeps) {}

  /** `application`: the caller's key's application, whose own policy (when set) overrides the store's. */
  async decide(
    storeId: string,
    userId: string,
    roles: readonly string[],
    options: { identitySource?: string; application?: { mfaPolicy: MfaPolicy | null } } = {},
  ): Promise<MfaDecision> {
    const store = await this.deps.stores.get(storeId);
    // A key whose store was deleted may outlive it briefly (revocation follows the delete).
    if (!store) throw new Unauthorized('The API key belongs to an identity store that no longer exists.');
    const policy = effectivePolicy(store, options.application?.mfaPolicy);
    const factor = await this.deps.factors.summary(storeId, userId);
    const decision = decideMfa(policy, userId, roles, factor, options.identitySource);
    const resetAt = shownResetAt(factor.resetAt ?? null, this.deps.clock.now().getTime());
    return resetAt ? { ...decision, resetAt } : decision;
  }
}
