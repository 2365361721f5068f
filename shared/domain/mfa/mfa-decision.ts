import { appliesTo, requiresSms, type EffectivePolicy } from '../applications/effective-policy.ts';

export type FactorStatus = 'none' | 'pending' | 'active';

export interface FactorSummary {
  status: FactorStatus;
  maskedPhone?: string;
  /** Epoch ms of the last support desk reset, if any. */
  resetAt?: number;
}

export interface MfaDecision {
  userId: string;
  sms: { enabled: boolean; required: boolean; status: FactorStatus; maskedPhone?: string };
  nextStep: 'none' | 'enroll' | 'challenge';
  policy: EffectivePolicy['source'];
  /** For 7 days after a support desk reset: the app may ask for a stronger check before re-enrollment. */
  resetAt?: string;
}

/**
 * What a client app does after the first factor. An active factor is always challenged (the user
 * opted in, or must); a required one without a factor must enroll; enabled-but-optional is the user's
 * choice, so nothing is forced. A sign-in from an identity source the policy does not list is outside
 * it: SMS is off for it.
 */
export function decideMfa(
  policy: EffectivePolicy,
  userId: string,
  roles: readonly string[],
  factor: FactorSummary,
  identitySource?: string,
): MfaDecision {
  const enabled = policy.enabled && appliesTo(policy, identitySource);
  const required = enabled && requiresSms(policy, roles);
  const nextStep = !enabled
    ? 'none'
    : factor.status === 'active'
      ? 'challenge'
      : required
        ? 'enroll'
        : 'none';
  return {
    userId,
    sms: {
      enabled,
      required,
      status: factor.status,
      ...(factor.maskedPhone ? { maskedPhone: factor.maskedPhone } : {}),
    },
    nextStep,
    policy: policy.source,
  };
}
