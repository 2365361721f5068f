import { describe, expect, it } from 'vitest';
import { ChannelUnavailable, PhoneNotAllowed } from '../../shared/domain/errors.ts';
import { parsePhone } from '../../shared/domain/phone.ts';
import { planVoice } from '../../shared/domain/voice/voice-plan.ts';
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
  it('keeps only the linked gateways that can call, in their linked order', () => {
    const decision = planVoice(facts());
    expect(decision.gateways).toEqual(['gw_call', 'gw_call2']);
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

  it('a test number needs no calling gateway', () => {
    const decision = planVoice(facts({ gatewayChannels: {}, delivers: false }));
    expect(decision).toMatchObject({ gateways: [] });
  });

  it('picks the spoken template by RFC 4647 lookup (as the SMS templates), then the default', () => {
    const voice = voiceWithDefaults({
      enabled: true,
      allowedCountries: ['GB'],
      messageTemplates: { de: 'Code [Code]', 'pt-BR': 'Código [Code]', pt: 'Código PT [Code]' },
    });
    const template = (locale: string | undefined) =>
      planVoice(facts({ store: store(voice), locale })).template;
    expect(template('pt-br')).toBe('Código [Code]');
    expect(template('pt-PT')).toBe('Código PT [Code]');
    expect(template('de-AT')).toBe('Code [Code]');
    expect(template('pt_BR')).toBe('Código [Code]');
    expect(template('fr')).toBe(DEFAULT_VOICE.messageTemplate);
    expect(template(undefined)).toBe(DEFAULT_VOICE.messageTemplate);
  });
});
