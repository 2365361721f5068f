import type { IdentityStore } from '../identity-stores/identity-store.ts';
import { roleKey } from '../identity-stores/identity-store.ts';
import type { MfaPolicy } from './application.ts';

/** What a request is decided on: its key's application's own policy, else the store's `smsAuth`. */
export interface EffectivePolicy extends MfaPolicy {
  source: 'store' | 'application';
}

/**
 * api.md "Effective policy". An application's policy may switch SMS on for a store whose own SMS is off,
 * but the store still needs a linked gateway to send through: without one SMS is not enabled.
 */
export function effectivePolicy(
  store: Pick<IdentityStore, 'smsAuth'>,
  applicationPolicy: MfaPolicy | null | undefined,
): EffectivePolicy {
  if (!applicationPolicy) {
    const { enabled, enforcedRoles, identitySources = [] } = store.smsAuth;
    return { source: 'store', enabled, enforcedRoles, identitySources };
  }
  return {
    source: 'application',
    ...applicationPolicy,
    enabled: applicationPolicy.enabled && store.smsAuth.gatewayId !== null,
  };
}

/** A sign-in from a source the policy does not list is outside it; no source given means no filter. */
export function appliesTo(policy: MfaPolicy, identitySource: string | undefined): boolean {
  if (identitySource === undefined || policy.identitySources.length === 0) return true;
  return policy.identitySources.some((source) => source === identitySource);
}

export function requiresSms(policy: MfaPolicy, roles: readonly string[]): boolean {
  if (!policy.enabled) return false;
  const enforced = new Set(policy.enforcedRoles.map(roleKey));
  return roles.some((role) => enforced.has(roleKey(role)));
}

/**
 * The store's configuration as one client sees it: the effective policy in place of the store's own
 * `enabled`, `enforcedRoles` and `identitySources`. The send use cases decide on this (`409 sms-disabled`
 * when not enabled), so an application's policy needs no path of its own through them.
 */
export function storeForClient<S extends Pick<IdentityStore, 'smsAuth'>>(
  store: S,
  application: { mfaPolicy: MfaPolicy | null } | undefined,
): S {
  if (!application?.mfaPolicy) return store;
  const { enabled, enforcedRoles, identitySources } = effectivePolicy(store, application.mfaPolicy);
  return { ...store, smsAuth: { ...store.smsAuth, enabled, enforcedRoles, identitySources } };
}
