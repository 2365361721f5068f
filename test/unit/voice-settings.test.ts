import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { renderSpoken, spokenCode, DEFAULT_VOICE_TEMPLATE } from '../../shared/domain/voice/spoken-text.ts';
import {
  DEFAULT_VOICE,
  voiceOf,
  voiceProblems,
  voiceWithDefaults,
} from '../../shared/domain/voice/voice-settings.ts';

const allowed = { voiceAllowed: true };
const paths = (problems: { path: string }[]) => problems.map((problem) => problem.path);

describe('voice settings', () => {
  it('read as voice off on a store written before voice existed', () => {
    expect(voiceOf({})).toEqual(DEFAULT_VOICE);
    expect(DEFAULT_VOICE).toMatchObject({
      enabled: false,
      perPhonePerDay: 3,
      perStorePerDay: 500,
      allowVerifyPhone: false,
    });
  });

  it('need countries while enabled, and the deployment’s switch', () => {
    const on = voiceWithDefaults({ enabled: true });
    expect(paths(voiceProblems(on, allowed))).toEqual(['voice.allowedCountries']);
    const withCountries = voiceWithDefaults({ enabled: true, allowedCountries: ['DE'] });
    expect(voiceProblems(withCountries, allowed)).toEqual([]);
    expect(paths(voiceProblems(withCountries, { voiceAllowed: false }))).toEqual(['voice.enabled']);
    // Off, nothing is needed: a store may prepare its countries before the switch is on.
    expect(voiceProblems(voiceWithDefaults({ allowedCountries: [] }), { voiceAllowed: false })).toEqual([]);
  });

  it('check each spoken template at its own path', () => {
    const voice = voiceWithDefaults({
      messageTemplate: 'no placeholder',
      messageTemplates: {
        de: 'Ihr Code ist [Code]',
        'pt-BR': 'x'.repeat(501),
        'not a tag!': '[Code]',
        fr: null,
      },
    });
    expect(voice.messageTemplates).not.toHaveProperty('fr');
    expect(paths(voiceProblems(voice, allowed)).sort()).toEqual(
      [
        'voice.messageTemplate',
        'voice.messageTemplates.not a tag!',
        'voice.messageTemplates.pt-BR',
        'voice.messageTemplates.pt-BR',
      ].sort(),
    );
  });
});

describe('spoken codes', () => {
  it('separate every digit, so text-to-speech reads them one by one', () => {
    expect(spokenCode('0042')).toBe('0, 0, 4, 2');
    expect(renderSpoken(DEFAULT_VOICE_TEMPLATE, '123456')).toBe(
      'Your verification code is 1, 2, 3, 4, 5, 6. I repeat: 1, 2, 3, 4, 5, 6.',
    );
  });

  it('keep every digit in order and never the code as one run of digits (property)', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^\d{4,10}$/), (code) => {
        const spoken = renderSpoken('[Code]', code);
        expect(spoken.replace(/, /g, '')).toBe(code);
        expect(/\d\d/.test(spoken)).toBe(false);
      }),
    );
  });
});
