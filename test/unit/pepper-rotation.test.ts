import { describe, expect, it } from 'vitest';
import { ChallengeService } from '../../shared/domain/challenges/challenge-service.ts';
import type { Pepper } from '../../shared/domain/codes/pepper.ts';
import {
  nextPepperSecret,
  pepperSet,
  phoneKey,
  type PepperSecret,
} from '../../shared/domain/codes/pepper-versions.ts';
import { DEFAULT_CODE_POLICY } from '../../shared/domain/identity-stores/identity-store.ts';
import { cryptoRandom } from '../../shared/ports/random.ts';
import { noTelemetry } from '../../shared/ports/telemetry.ts';
import { ManualClock } from '../support/manual-clock.ts';
import { MemoryChallengePorts } from '../support/memory-challenge-ports.ts';
import { storeFixture } from '../support/store-fixture.ts';

const first: PepperSecret = { pepper: 'a'.repeat(40) };

describe('pepper versions', () => {
  it('a rotation keeps the previous version and the phone-key material', () => {
    // Each rotation: the next version, the one before kept, the phone-key material of the first forever.
    const rotated = (from: PepperSecret, version: number) => {
      const next = nextPepperSecret(from, cryptoRandom);
      expect(next).toMatchObject({
        version: String(version),
        previousPepper: from.pepper,
        previousVersion: String(version - 1),
        keyPepper: first.pepper,
      });
      return next;
    };
    const third = rotated(rotated(first, 2), 3);
    expect(pepperSet(third).keys).toEqual(pepperSet(first).keys);
    expect(phoneKey(pepperSet(third).keys, '+447400123456')).toBe(
      phoneKey(pepperSet(first).keys, '+447400123456'),
    );
    expect(phoneKey(pepperSet(first).keys, '+447400123456')).not.toContain('7400123456');
  });

  it('refuses a pepper shorter than 32 characters', () => {
    expect(() => pepperSet({ pepper: 'short' })).toThrow(/shorter than 32/);
  });

  it('a code sent just before a rotation still verifies after it; one from two rotations ago does not', async () => {
    let secret = first;
    const pepper: Pepper = {
      get: async () => pepperSet(secret).current.value,
      versions: async () => pepperSet(secret),
    };
    const ports = new MemoryChallengePorts();
    const sent: string[] = [];
    const store = storeFixture({
      name: 's',
      smsAuth: { gatewayId: 'gw', messageTemplate: '[Code]' },
      codePolicy: { ...DEFAULT_CODE_POLICY, resendIntervalSeconds: 0 },
    });
    const service = new ChallengeService({
      ...ports.serviceStorage(() => store),
      delivery: {
        send: async (_s, sms) => (
          sent.push(sms.body),
          { gatewayId: 'gw', gatewayType: 'console', providerMessageId: 'm' }
        ),
      },
      notifier: { notify: async () => undefined },
      pepper,
      clock: new ManualClock(),
      random: cryptoRandom,
      telemetry: noTelemetry,
    });
    const before = await service.verifyPhone(store.id, '+447400123456');
    const beforeCode = sent.at(-1)!;
    secret = nextPepperSecret(secret, cryptoRandom);
    // The pointer is keyed by the stable phone key: asking again is still a resend of the same challenge.
    const resent = await service.verifyPhone(store.id, '+447400123456');
    expect(resent.id).toBe(before.id);
    expect((await service.verify(store.id, before.id, beforeCode)).status).toBe('approved');
    expect(ports.challengeItems.get(before.id)?.pepperVersion).toBe('1');

    const old = await service.verifyPhone(store.id, '+447400123457');
    const oldCode = sent.at(-1)!;
    secret = nextPepperSecret(nextPepperSecret(secret, cryptoRandom), cryptoRandom);
    await expect(service.verify(store.id, old.id, oldCode)).rejects.toMatchObject({ slug: 'invalid-code' });
  });
});
