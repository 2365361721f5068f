import { PhoneNotAllowed, SmsDisabled } from '../errors.ts';
import type { IdentityStore } from '../identity-stores/identity-store.ts';
import { storeTestPhone } from './number-class.ts';
import type { Channel } from '../gateways/gateway-types.ts';
import { parsePhone, smsIneligibility, type PhoneNumber } from '../phone.ts';

/**
 * Everything checked before a code may be sent, none of it needing a provider call. A call's number
 * types are judged by the voice plan (voice/voice-plan.ts): fixed lines can take a call.
 */
export function sendablePhone(store: IdentityStore, input: string, channel: Channel = 'sms'): PhoneNumber {
  if (!store.smsAuth.enabled) throw new SmsDisabled();
  // The store's own test numbers are fictional (libphonenumber refuses them) and reach no provider,
  // so neither the number-type nor the country rules apply to them.
  const test = storeTestPhone(store, input);
  if (test) return test;
  const phone = parsePhone(input);
  if (!phone) throw new PhoneNotAllowed('The phone number is not a valid international number.');
  const ineligible = channel === 'sms' ? smsIneligibility(phone) : undefined;
  if (ineligible) throw new PhoneNotAllowed(ineligible);
  if (
    store.allowedCountries.length > 0 &&
    (!phone.country || !store.allowedCountries.includes(phone.country))
  ) {
    throw new PhoneNotAllowed('Numbers of this country are not allowed by the identity store.');
  }
  return phone;
}
