import { ChannelUnavailable, PhoneNotAllowed } from '../errors.ts';
import type { Channel } from '../gateways/gateway-types.ts';
import { linkedGatewayIds, type IdentityStore } from '../identity-stores/identity-store.ts';
import { templateFor } from '../messages/locale.ts';
import type { PhoneNumber } from '../phone.ts';
import { DAY_MS, type CounterWindow } from '../sending/send-windows.ts';
import { voiceOf, type VoiceSettings } from './voice-settings.ts';

/** Calls ring phones that a person answers: premium, shared-cost, pager or VoIP ranges are toll-fraud bait. */
const CALLABLE_TYPES: ReadonlySet<string | undefined> = new Set([
  'MOBILE',
  'FIXED_LINE',
  'FIXED_LINE_OR_MOBILE',
]);

export interface VoiceFacts {
  store: IdentityStore;
  phone: PhoneNumber;
  purpose: 'enroll' | 'authenticate' | 'verify-phone' | 'relay';
  /** The deployment's switch (CDK context `voiceAllowed`); without it no store calls. */
  voiceAllowed: boolean;
  /** Each linked gateway's channels, from the gateway directory; a gateway missing here cannot call. */
  gatewayChannels: Readonly<Record<string, readonly Channel[]>>;
  /** The language the user asked for (a BCP 47 tag), if any. */
  locale?: string | undefined;
  /** A test number reaches no provider, so it needs no calling gateway. */
  delivers: boolean;
}

/** Every decision a call adds to a send (send-plan.ts takes them in place of the SMS ones). */
export interface VoiceDecision {
  voice: VoiceSettings;
  /** The linked gateways that can call, in their linked order (routing orders them): failover never reaches an SMS-only one. */
  gateways: string[];
  /** The spoken template for the user's language (RFC 4647 lookup, as the SMS templates). */
  template: string;
}

/**
 * Decides whether a call may be made and how (api.md "Voice calls"): refused with `409 channel-unavailable`
 * when calls are off (store, deployment, sign-up checks without their opt-in) or no linked gateway can
 * call, `422 phone-not-allowed` outside the voice countries or to a number nobody answers.
 */
export function planVoice(facts: VoiceFacts): VoiceDecision {
  const { store, phone, purpose } = facts;
  const voice = voiceOf(store);
  if (!facts.voiceAllowed) throw new ChannelUnavailable('Voice calls are not allowed in this deployment.');
  if (!voice.enabled) throw new ChannelUnavailable('Voice calls are not enabled for this identity store.');
  // Relayed codes obey the voice countries and caps, not the sign-up opt-in (api.md, revisions).
  if (purpose === 'verify-phone' && !voice.allowVerifyPhone) {
    throw new ChannelUnavailable('Phone checks may not use voice calls in this identity store.');
  }
  const gateways = facts.delivers
    ? linkedGatewayIds(store).filter((id) => facts.gatewayChannels[id]?.includes('voice'))
    : [];
  if (facts.delivers && gateways.length === 0) {
    throw new ChannelUnavailable('No gateway linked to this identity store can make voice calls.');
  }
  if (facts.delivers) {
    if (!phone.country || !voice.allowedCountries.includes(phone.country)) {
      throw new PhoneNotAllowed('Numbers of this country may not be called by the identity store.', {
        reason: 'country',
      });
    }
    if (!CALLABLE_TYPES.has(phone.type)) {
      throw new PhoneNotAllowed('Calls go to mobile and fixed-line numbers only.');
    }
  }
  return {
    voice,
    gateways,
    template: templateFor(voice, facts.locale),
  };
}

/** A call's own per-number day, counted in the issuing transaction beside the SMS windows. */
export function voicePhoneWindow(voice: VoiceSettings, now: number): CounterWindow {
  const bucket = Math.floor(now / DAY_MS);
  return { limit: 'voicePerPhonePerDay', bucket, max: voice.perPhonePerDay, endsAt: (bucket + 1) * DAY_MS };
}
