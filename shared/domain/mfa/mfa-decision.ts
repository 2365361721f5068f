import { isSmsRequired, type IdentityStore } from '../identity-stores/identity-store.ts';

export type FactorStatus = 'none' | 'pending' | 'active';

export interface FactorSummary {
  status: FactorStatus;
  maskedPhone?: string;
}

export interface MfaDecision {
  userId: string;
  sms: { enabled: boolean; required: boolean; status: FactorStatus; maskedPhone?: string };
  nextStep: 'none' | 'enroll' | 'challenge';
}

/**
 * What a client app does after the first factor. An active factor is always challenged (the user
 * opted in, or must); a required one without a factor must enroll; enabled-but-optional is the user's
 * choice, so nothing is forced.
 */
export function decideMfa(
  store: IdentityStore,
  userId: string,
  roles: readonly string[],
  factor: FactorSummary,
): MfaDecision {
  const enabled = store.smsAuth.enabled;
  const required = isSmsRequired(store, roles);
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
  };
}
