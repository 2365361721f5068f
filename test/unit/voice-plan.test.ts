import { describe, expect, it } from 'vitest';
import { ChannelUnavailable, PhoneNotAllowed } from '../../shared/domain/errors.ts';
import { parsePhone } from '../../shared/domain/phone.ts';
import { callPrice, planVoice, voiceTemplate } from '../../shared/domain/voice/voice-plan.ts';
import { DEFAULT_VOICE, voiceWithDefaults } from '../../shared/domain/voice/voice-settings.ts';
import { storeFixture } from '../support/store-fixture.ts';

const MOBILE = parsePhone('+447400123456')!;
const PREMIUM = parsePhone('+449090901234')!;
const VOICE = voiceWithDefaults({ enabled: true, allowedCountries: ['GB'] });

/** A voice store: `gw_sms` (SMS only) first, then `gw_call` and `gw_call2` (both can call). */
const store = (voice = VOICE) =>
  storeFixture({
    voice,
    smsAuth: { gatewayId: 'gw_sms', fallbackGatewayIds: ['gw_call', 'gw_call2'] },
    spendLimits: { ...storeFixture().spendLimits, pricePerCall: { default: 0.2, DE: 0.5 } },
  });
const facts = (overrides: Partial<Parameters<typeof planVoice>[0]> = {}) => ({
  store: store(),
  phone: MOBILE,
  purpose: 'authenticate' as const,
  voiceAllowed: true,
  gatewayChannels: { gw_sms: ['sms'], gw_call: ['sms', 'voice'], gw_call2: ['sms', 'voice'] } as const,
  delivers: true,
  ...overrides,
});

describe('the voice plan', () => {
  it('keeps only the linked gateways that can call, in their linked order, at the call price', () => {
    const decision = planVoice(facts());
    expect(decision.gateways).toEqual(['gw_call', 'gw_call2']);
    expect(decision.cost).toBe(200_000);
    expect(decision.template).toBe(DEFAULT_VOICE.messageTemplate);
  });

  it('409 without the deployment switch, without voice on the store, for sign-up checks without their opt-in, and without a calling gateway', () => {
    expect(() => planVoice(facts({ voiceAllowed: false }))).toThrow(ChannelUnavailable);
    expect(() => planVoice(facts({ store: store(DEFAULT_VOICE) }))).toThrow(ChannelUnavailable);
    expect(() => planVoice(facts({ purpose: 'verify-phone' }))).toThrow(ChannelUnavailable);
    expect(planVoice(facts({ purpose: 'relay' })).gateways).toHaveLength(2);
    const withOptIn = store(voiceWithDefaults({ ...VOICE, allowVerifyPhone: true }));
    expect(planVoice(facts({ purpose: 'verify-phone', store: withOptIn })).gateways).toHaveLength(2);
    expect(() => planVoice(facts({ gatewayChannels: { gw_sms: ['sms'] } }))).toThrow(ChannelUnavailable);
  });

  it('422 outside the voice countries and for numbers nobody answers (premium rate)', () => {
    const germanOnly = store(voiceWithDefaults({ enabled: true, allowedCountries: ['DE'] }));
    expect(() => planVoice(facts({ store: germanOnly }))).toThrow(PhoneNotAllowed);
    expect(() => planVoice(facts({ phone: PREMIUM }))).toThrow(PhoneNotAllowed);
  });

  it('a test number needs no calling gateway and costs nothing', () => {
    const decision = planVoice(facts({ gatewayChannels: {}, delivers: false }));
    expect(decision).toMatchObject({ gateways: [], cost: 0 });
  });

  it('picks the spoken template by exact tag, then language, then the default', () => {
    const voice = voiceWithDefaults({
      messageTemplates: { de: 'Code [Code]', 'pt-BR': 'Código [Code]', pt: 'Código PT [Code]' },
    });
    expect(voiceTemplate(voice, 'pt-br')).toBe('Código [Code]');
    expect(voiceTemplate(voice, 'pt-PT')).toBe('Código PT [Code]');
    expect(voiceTemplate(voice, 'de-AT')).toBe('Code [Code]');
    expect(voiceTemplate(voice, 'fr')).toBe(DEFAULT_VOICE.messageTemplate);
    expect(voiceTemplate(voice, undefined)).toBe(DEFAULT_VOICE.messageTemplate);
  });

  it("prices a call by the store's country price, its default, else 0.10", () => {
    expect(callPrice(store(), 'DE')).toBe(500_000);
    expect(callPrice(store(), 'GB')).toBe(200_000);
    expect(callPrice(storeFixture(), 'GB')).toBe(100_000);
  });
});
