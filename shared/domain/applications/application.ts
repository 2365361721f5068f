import type { MessageOptions } from '../messages/message-options.ts';

/**
 * An identity store's client application (api.md "Applications"). `mfaPolicy: null` follows the store's
 * `smsAuth`; a policy of its own is GenAuth's "Customize security rules for this application".
 */
export interface MfaPolicy {
  enabled: boolean;
  enforcedRoles: string[];
  /** Empty: every identity source. */
  identitySources: string[];
}

export interface Application {
  id: string;
  storeId: string;
  name: string;
  mfaPolicy: MfaPolicy | null;
  /** Autofill lines of its sends; absent on applications written before them (both null). */
  messageOptions?: MessageOptions;
  createdAt: string;
  updatedAt: string;
  version: number;
}

export const APPLICATION_ID_PREFIX = 'app';
