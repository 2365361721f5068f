import { describe, expect, it } from 'vitest';
import { standardWebhooks } from '../../shared/adapters/webhooks/standard-webhooks.ts';
import { standardWebhookMatches } from '../../shared/domain/integrations/standard-webhook-check.ts';
import { webhookHeaders } from '../../shared/domain/webhooks/signing.ts';

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
/** An injected clock far from the system's: the library's own `Date.now()` check must not decide. */
const NOW = Date.UTC(2031, 0, 1);
const SECONDS = NOW / 1000;

const matches = (
  headers: { id?: string; timestamp?: string; signature?: string },
  body: string,
  secrets: string[],
  now = NOW,
) =>
  standardWebhookMatches(
    { id: headers.id, timestamp: headers.timestamp, signature: headers.signature },
    body,
    secrets,
    now,
    standardWebhooks,
  );

const signedAt = (seconds: number, signature: string) => ({
  id: 'msg_1',
  timestamp: String(seconds),
  signature,
});

describe('Standard Webhooks through the spec’s library', () => {
  it('signs and verifies the specification’s test vector at its own time (the injected clock)', () => {
    expect(standardWebhooks.sign(VECTOR.secret, VECTOR.id, VECTOR.timestamp, VECTOR.body)).toBe(
      VECTOR.signature,
    );
    const headers = { id: VECTOR.id, timestamp: String(VECTOR.timestamp), signature: VECTOR.signature };
    const at = VECTOR.timestamp * 1000;
    expect(matches(headers, VECTOR.body, [VECTOR.secret], at)).toBe(true);
    expect(matches(headers, VECTOR.body.replace('2', '3'), [VECTOR.secret], at)).toBe(false);
    expect(matches(headers, VECTOR.body, [VECTOR.secret], at + 6 * 60_000)).toBe(false);
  });

  it('gives webhook headers one signature per secret, each verified by the library', () => {
    const headers = webhookHeaders(standardWebhooks, [OLD, NEW], 'evt_1', SECONDS, BODY);
    expect(headers['webhook-signature']!.split(' ')).toHaveLength(2);
    const received = {
      id: headers['webhook-id'],
      timestamp: headers['webhook-timestamp'],
      signature: headers['webhook-signature'],
    };
    expect(matches(received, BODY, [OLD])).toBe(true);
    expect(matches(received, BODY, [NEW])).toBe(true);
    expect(matches(received, BODY, [OTHER])).toBe(false);
  });

  it.each([
    ['", " (Supabase)', ', '],
    ['" "', ' '],
  ])(
    'accepts a rotation overlap joined by %s in either order, with either secret live',
    (_name, separator) => {
      const byOld = standardWebhooks.sign(OLD, 'msg_1', SECONDS, BODY);
      const byNew = standardWebhooks.sign(NEW, 'msg_1', SECONDS, BODY);
      for (const header of [`${byOld}${separator}${byNew}`, `${byNew}${separator}${byOld}`]) {
        const headers = signedAt(SECONDS, header);
        expect(matches(headers, BODY, [NEW, OLD])).toBe(true);
        expect(matches(headers, BODY, [NEW])).toBe(true);
        expect(matches(headers, BODY, [OLD])).toBe(true);
        expect(matches(headers, BODY, [OTHER])).toBe(false);
        expect(matches(headers, BODY.replace('123456', '654321'), [NEW, OLD])).toBe(false);
      }
    },
  );

  it('refuses a stale or future timestamp, a missing header, another version, another id, a bad secret', () => {
    const signed = (at: number) => standardWebhooks.sign(NEW, 'msg_1', at, BODY);
    expect(matches(signedAt(SECONDS - 301, signed(SECONDS - 301)), BODY, [NEW])).toBe(false);
    expect(matches(signedAt(SECONDS + 301, signed(SECONDS + 301)), BODY, [NEW])).toBe(false);
    expect(matches(signedAt(SECONDS - 299, signed(SECONDS - 299)), BODY, [NEW])).toBe(true);
    expect(matches({ ...signedAt(SECONDS, signed(SECONDS)), id: undefined }, BODY, [NEW])).toBe(false);
    expect(matches(signedAt(SECONDS, signed(SECONDS).replace(/^v1,/, 'v2,')), BODY, [NEW])).toBe(false);
    expect(matches({ ...signedAt(SECONDS, signed(SECONDS)), id: 'msg_2' }, BODY, [NEW])).toBe(false);
    expect(matches(signedAt(SECONDS, signed(SECONDS)), BODY, ['whsec_!!not base64!!', NEW])).toBe(true);
    expect(matches(signedAt(SECONDS, signed(SECONDS)), BODY, ['whsec_!!not base64!!'])).toBe(false);
  });
});
