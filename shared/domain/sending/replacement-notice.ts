import type { Telemetry } from '../../ports/telemetry.ts';
import type { IdentityStore } from '../identity-stores/identity-store.ts';
import type { SmsDelivery } from './sms-delivery.ts';

export const REPLACEMENT_NOTICE =
  'Your phone number for sign-in verification codes was changed. If this was not you, contact support now.';

/** Sends the notice through the store's gateways; a failure is counted, never thrown (the change stands). */
export class ReplacementNotice {
  constructor(
    private readonly stores: { get(id: string): Promise<IdentityStore | undefined> },
    private readonly delivery: Pick<SmsDelivery, 'send'>,
    private readonly telemetry: Telemetry,
  ) {}

  async send(storeId: string, phone: string): Promise<boolean> {
    try {
      const store = await this.stores.get(storeId);
      if (!store) return false;
      await this.delivery.send(store, { to: phone, body: REPLACEMENT_NOTICE });
      this.telemetry.count('ReplacementNoticeSent');
      return true;
    } catch {
      this.telemetry.count('ReplacementNoticeFailed');
      return false;
    }
  }
}
