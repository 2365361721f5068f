import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  standardWebhookMatches,
  standardWebhookSignature,
} from '../../shared/domain/integrations/hook-secret.ts';

// standard-webhooks/standard-webhooks, libraries/javascript/src/webhook.test.ts: the spec's test vector.
const VECTOR = {
  secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
  id: 'msg_p5jXN8AQM9LWM0D4loKWxJek',
  timestamp: 1614265330,
  body: '{"test": 2432232314}',
  signature: 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
};

/** Supabase shows its hook secrets as `v1,whsec_<base64>`. */
const supabaseSecret = (fill: number) => `v1,whsec_${Buffer.alloc(32, fill).toString('base64')}`;
const [OLD, NEW, OTHER] = [supabaseSecret(1), supabaseSecret(2), supabaseSecret(3)];
const BODY = '{"user":{"phone":"+447400123456"},"sms":{"otp":"123456"}}';

function headersAt(seconds: number, signature: string) {
  return { id: 'msg_1', timestamp: String(seconds), signature };
}

describe('Standard Webhooks hook signatures', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('verifies the specification’s test vector, and signs it identically', () => {
    // The library checks the timestamp against the system clock too: put it at the vector's time.
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(VECTOR.timestamp * 1000);
    const now = VECTOR.timestamp * 1000;
    expect(standardWebhookSignature(VECTOR.secret, VECTOR.id, VECTOR.timestamp, VECTOR.body)).toBe(
      VECTOR.signature,
    );
    const headers = { id: VECTOR.id, timestamp: String(VECTOR.timestamp), signature: VECTOR.signature };
    expect(standardWebhookMatches(headers, VECTOR.body, [VECTOR.secret], now)).toBe(true);
    expect(standardWebhookMatches(headers, VECTOR.body.replace('2', '3'), [VECTOR.secret], now)).toBe(false);
    expect(standardWebhookMatches(headers, VECTOR.body, [VECTOR.secret], now + 6 * 60_000)).toBe(false);
  });

  it.each([
    ['", " (Supabase)', ', '],
    ['" "', ' '],
  ])(
    'accepts a rotation overlap joined by %s in either order, with either secret live',
    (_name, separator) => {
      const now = Date.now();
      const seconds = Math.floor(now / 1000);
      const byOld = standardWebhookSignature(OLD, 'msg_1', seconds, BODY);
      const byNew = standardWebhookSignature(NEW, 'msg_1', seconds, BODY);
      for (const header of [`${byOld}${separator}${byNew}`, `${byNew}${separator}${byOld}`]) {
        const headers = headersAt(seconds, header);
        expect(standardWebhookMatches(headers, BODY, [NEW, OLD], now)).toBe(true);
        expect(standardWebhookMatches(headers, BODY, [NEW], now)).toBe(true);
        expect(standardWebhookMatches(headers, BODY, [OLD], now)).toBe(true);
        expect(standardWebhookMatches(headers, BODY, [OTHER], now)).toBe(false);
        expect(standardWebhookMatches(headers, BODY.replace('123456', '654321'), [NEW, OLD], now)).toBe(
          false,
        );
      }
    },
  );

  it('refuses a stale or future timestamp, a missing header and signatures of another version', () => {
    const now = Date.now();
    const seconds = Math.floor(now / 1000);
    const signed = (at: number) => standardWebhookSignature(NEW, 'msg_1', at, BODY);
    expect(standardWebhookMatches(headersAt(seconds - 301, signed(seconds - 301)), BODY, [NEW], now)).toBe(
      false,
    );
    expect(standardWebhookMatches(headersAt(seconds + 301, signed(seconds + 301)), BODY, [NEW], now)).toBe(
      false,
    );
    expect(standardWebhookMatches(headersAt(seconds - 290, signed(seconds - 290)), BODY, [NEW], now)).toBe(
      true,
    );
    expect(
      standardWebhookMatches({ ...headersAt(seconds, signed(seconds)), id: undefined }, BODY, [NEW], now),
    ).toBe(false);
    const v2 = signed(seconds).replace(/^v1,/, 'v2,');
    expect(standardWebhookMatches(headersAt(seconds, v2), BODY, [NEW], now)).toBe(false);
    // The signature covers the id: the same signature under another id fails.
    expect(
      standardWebhookMatches({ ...headersAt(seconds, signed(seconds)), id: 'msg_2' }, BODY, [NEW], now),
    ).toBe(false);
  });
});
