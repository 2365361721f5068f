import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientFor, mobileNumber, outbox } from '../support/client.ts';
import { eventLines } from '../support/local-events.ts';
import { startTestServer, type TestServer } from '../support/local-server.ts';
import { expectProblem } from '../support/problems.ts';

/**
 * Issue 29, the send path of voice calls, against the local server (voice is always allowed locally) and
 * its `console` gateway, which writes a call to the outbox with `channel: "voice"` and the spoken text.
 */
let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.stop();
});

const VOICE = { enabled: true, allowedCountries: ['GB'] };

interface Line {
  to: string;
  body: string;
  channel?: string;
}
const linesTo = async (to: string): Promise<Line[]> => (await outbox(server)).filter((m) => m.to === to);

/** The code a call spoke: its digits come separated by ", " (text-to-speech reads them one by one). */
function spokenCode(line: Line | undefined): string {
  const spoken = /((?:\d, )+\d)/.exec(line?.body ?? '')?.[1];
  if (!spoken) throw new Error(`no spoken code in ${JSON.stringify(line)}`);
  return spoken.replaceAll(', ', '');
}

async function codeSent(challengeId: string) {
  return (await eventLines(server.dataDir)).filter(
    (e) => e.type === 'code.sent' && e.data.challengeId === challengeId,
  );
}

async function smsOnlyGateway(): Promise<string> {
  const created = await server.admin('POST', '/admin/gateways', {
    name: `SMS only ${Math.random()}`,
    type: 'vonage',
    username: 'key',
    password: 'secret',
    from: 'Acme',
  });
  if (created.status !== 201) throw new Error(created.text);
  return created.body.id;
}

describe('a voice send', () => {
  it('calls through the console gateway with the spoken code said twice; the code verifies; code.sent and the history say voice at the call price', async () => {
    const client = await clientFor(server, {
      voice: {
        ...VOICE,
        allowVerifyPhone: true,
        messageTemplates: { de: 'Ihr Code ist [Code]. Noch einmal: [Code].' },
      },
      spendLimits: { pricePerCall: { default: 0.1, GB: 0.25 } },
    });
    const phone = mobileNumber();
    const sent = await client.call('POST', '/v1/verifications', { phoneNumber: phone, channel: 'voice' });
    expect(sent.status, sent.text).toBe(201);
    const [line] = await linesTo(phone);
    expect(line).toMatchObject({ channel: 'voice' });
    const code = spokenCode(line);
    expect(line!.body).toBe(
      `Your verification code is ${[...code].join(', ')}. I repeat: ${[...code].join(', ')}.`,
    );
    const events = await codeSent(sent.body.id);
    expect(events.map((e) => e.data)).toEqual([
      expect.objectContaining({
        channel: 'voice',
        segments: 1,
        estimatedCost: { amount: 0.25, currency: 'USD' },
        outcome: 'accepted',
      }),
    ]);
    const verified = await client.call('POST', `/v1/challenges/${sent.body.id}/verify`, { code });
    expect(verified.status, verified.text).toBe(200);
    const history = await server.admin(
      'GET',
      `/admin/identity-stores/${client.storeId}/challenges/${sent.body.id}`,
    );
    expect(history.body.sends.map((s: { channel: string }) => s.channel)).toEqual(['voice']);
  });

  it('a voice resend keeps the challenge id and every code stays valid; SMS and calls share the per-phone limits', async () => {
    const client = await clientFor(server, {
      voice: VOICE,
      codePolicy: { resendIntervalSeconds: 0 },
      sendLimits: { perPhonePer10Minutes: 2 },
    });
    const userId = `user-${Math.random()}`;
    const phone = mobileNumber();
    const first = await client.call('PUT', `/v1/users/${userId}/sms-factor`, { phoneNumber: phone });
    expect(first.status, first.text).toBe(202);
    const smsCode = /(\d{6})/.exec((await linesTo(phone))[0]!.body)![1]!;
    const resent = await client.call('PUT', `/v1/users/${userId}/sms-factor`, {
      phoneNumber: phone,
      channel: 'voice',
    });
    expect(resent.status, resent.text).toBe(202);
    expect(resent.body.challenge.id).toBe(first.body.challenge.id);
    const lines = await linesTo(phone);
    expect(lines.map((l) => l.channel ?? 'sms')).toEqual(['sms', 'voice']);
    expect(spokenCode(lines[1])).not.toBe(smsCode);
    // The third send in 10 minutes, SMS or call, is over the shared per-phone limit: nothing goes out.
    const third = await client.call('PUT', `/v1/users/${userId}/sms-factor`, {
      phoneNumber: phone,
      channel: 'voice',
    });
    expectProblem(third, 429, 'rate-limited');
    expect(await linesTo(phone)).toHaveLength(2);
    // The earlier (SMS) code still verifies after the call.
    const verified = await client.call('POST', `/v1/challenges/${first.body.challenge.id}/verify`, {
      code: smsCode,
    });
    expect(verified.status, verified.text).toBe(200);
    const history = await server.admin(
      'GET',
      `/admin/identity-stores/${client.storeId}/challenges/${first.body.challenge.id}`,
    );
    expect(history.body.sends.map((s: { channel: string }) => s.channel)).toEqual(['sms', 'voice']);
  });

  it('409 channel-unavailable without voice, for sign-up checks without allowVerifyPhone, and with only SMS-only gateways linked: nothing written, nothing sent', async () => {
    const noVoice = await clientFor(server);
    const phone = mobileNumber();
    const userId = `user-${Math.random()}`;
    const refused = await noVoice.call('PUT', `/v1/users/${userId}/sms-factor`, {
      phoneNumber: phone,
      channel: 'voice',
    });
    expectProblem(refused, 409, 'channel-unavailable');
    // Nothing was written: the user has no factor at all.
    expectProblem(await noVoice.call('GET', `/v1/users/${userId}/sms-factor`), 404, 'not-found');

    const signUpCalls = await clientFor(server, { voice: VOICE });
    expectProblem(
      await signUpCalls.call('POST', '/v1/verifications', { phoneNumber: phone, channel: 'voice' }),
      409,
      'channel-unavailable',
    );

    const smsOnly = await clientFor(server, {
      voice: { ...VOICE, allowVerifyPhone: true },
      smsAuth: { gatewayId: await smsOnlyGateway() },
    });
    expectProblem(
      await smsOnly.call('POST', '/v1/verifications', { phoneNumber: phone, channel: 'voice' }),
      409,
      'channel-unavailable',
    );
    expect(await linesTo(phone)).toHaveLength(0);
  });

  it('never falls over to an SMS-only gateway: the call skips it and goes through the voice gateway', async () => {
    const client = await clientFor(server, { voice: { ...VOICE, allowVerifyPhone: true } });
    const store = await server.admin('GET', `/admin/identity-stores/${client.storeId}`);
    const consoleId = store.body.smsAuth.gatewayId as string;
    // The SMS-only gateway is first; an SMS would try it first (and fail: its provider is unreachable).
    const patched = await server.admin(
      'PATCH',
      `/admin/identity-stores/${client.storeId}`,
      { smsAuth: { gatewayId: await smsOnlyGateway(), fallbackGatewayIds: [consoleId] } },
      { 'if-match': store.headers.get('etag') ?? `"${store.body.version}"` },
    );
    expect(patched.status, patched.text).toBe(200);
    const phone = mobileNumber();
    const sent = await client.call('POST', '/v1/verifications', { phoneNumber: phone, channel: 'voice' });
    expect(sent.status, sent.text).toBe(201);
    const events = await codeSent(sent.body.id);
    expect(events.map((e) => e.data.gatewayId)).toEqual([consoleId]);
  });

  it('422 phone-not-allowed outside voice.allowedCountries (and outside the store countries)', async () => {
    const client = await clientFor(server, { voice: { enabled: true, allowedCountries: ['DE'] } });
    const phone = mobileNumber();
    const refused = await client.call('PUT', `/v1/users/u-${Math.random()}/sms-factor`, {
      phoneNumber: phone,
      channel: 'voice',
    });
    expectProblem(refused, 422, 'phone-not-allowed');
    const storeCountries = await clientFor(server, { voice: VOICE, allowedCountries: ['DE'] });
    expectProblem(
      await storeCountries.call('PUT', `/v1/users/u-${Math.random()}/sms-factor`, {
        phoneNumber: phone,
        channel: 'voice',
      }),
      422,
      'phone-not-allowed',
    );
    expect(await linesTo(phone)).toHaveLength(0);
  });

  it('a fixed-line number can take a call but not an SMS', async () => {
    const client = await clientFor(server, { voice: VOICE });
    const landline = '+442079460123';
    const sms = await client.call('PUT', `/v1/users/u-${Math.random()}/sms-factor`, {
      phoneNumber: landline,
    });
    expectProblem(sms, 422, 'phone-not-allowed');
    const call = await client.call('PUT', `/v1/users/u-${Math.random()}/sms-factor`, {
      phoneNumber: landline,
      channel: 'voice',
    });
    expect(call.status, call.text).toBe(202);
    expect((await linesTo(landline)).at(-1)).toMatchObject({ channel: 'voice' });
  });

  it('refuses the 4th call to one phone in a day by default: 429 with Retry-After until the next UTC day, nothing called', async () => {
    const client = await clientFor(server, {
      voice: VOICE,
      codePolicy: { resendIntervalSeconds: 0 },
      sendLimits: { perPhonePer10Minutes: 10, perPhonePerDay: 10 },
    });
    const userId = `user-${Math.random()}`;
    const phone = mobileNumber();
    for (let call = 1; call <= 3; call++) {
      const enrolled = await client.call('PUT', `/v1/users/${userId}/sms-factor`, {
        phoneNumber: phone,
        channel: 'voice',
      });
      expect(enrolled.status, enrolled.text).toBe(202);
    }
    const before = Date.now();
    const fourth = await client.call('PUT', `/v1/users/${userId}/sms-factor`, {
      phoneNumber: phone,
      channel: 'voice',
    });
    expectProblem(fourth, 429, 'rate-limited');
    const nextUtcDay = Math.ceil((before + 1) / 86_400_000) * 86_400_000;
    const retryAfter = Number(fourth.headers.get('retry-after'));
    expect(Math.abs(before + retryAfter * 1000 - nextUtcDay)).toBeLessThan(5_000);
    expect((await linesTo(phone)).filter((l) => l.channel === 'voice')).toHaveLength(3);
    // An SMS is still allowed: the call cap is the calls' own.
    const sms = await client.call('PUT', `/v1/users/${userId}/sms-factor`, { phoneNumber: phone });
    expect(sms.status, sms.text).toBe(202);
  });

  it("voice.perStorePerDay refuses the store's next call with 429 until the next UTC day", async () => {
    const client = await clientFor(server, {
      voice: { ...VOICE, perStorePerDay: 1 },
      codePolicy: { resendIntervalSeconds: 0 },
    });
    const first = mobileNumber();
    const second = mobileNumber();
    const ok = await client.call('PUT', `/v1/users/a-${Math.random()}/sms-factor`, {
      phoneNumber: first,
      channel: 'voice',
    });
    expect(ok.status, ok.text).toBe(202);
    const userId = `b-${Math.random()}`;
    const refused = await client.call('PUT', `/v1/users/${userId}/sms-factor`, {
      phoneNumber: second,
      channel: 'voice',
    });
    expectProblem(refused, 429, 'rate-limited');
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await linesTo(second)).toHaveLength(0);
    // The day is the calls' own: an SMS to the same number still goes.
    const sms = await client.call('PUT', `/v1/users/${userId}/sms-factor`, { phoneNumber: second });
    expect(sms.status, sms.text).toBe(202);
  });

  it('calls count on the fraud guard: a prefix pumped by voice is blocked before any provider call', async () => {
    const client = await clientFor(server, {
      voice: VOICE,
      fraudGuard: { mode: 'enforce', prefixDigits: 6, maxUnverifiedPerPrefixPerHour: 2 },
    });
    const base = mobileNumber().slice(0, -3);
    const numbers = ['101', '202', '303'].map((tail) => `${base}${tail}`);
    for (const phone of numbers.slice(0, 2)) {
      const sent = await client.call('PUT', `/v1/users/u-${Math.random()}/sms-factor`, {
        phoneNumber: phone,
        channel: 'voice',
      });
      expect(sent.status, sent.text).toBe(202);
    }
    const pumped = await client.call('PUT', `/v1/users/u-${Math.random()}/sms-factor`, {
      phoneNumber: numbers[2],
      channel: 'voice',
    });
    expectProblem(pumped, 422, 'send-blocked');
    expect(pumped.body.reason).toBe('prefix-velocity');
    expect(await linesTo(numbers[2]!)).toHaveLength(0);
  });
});

describe('relayed calls (identity-provider hooks)', () => {
  async function hookOf(kind: 'okta' | 'auth0', settings: Record<string, unknown>) {
    const { storeId } = await clientFor(server, settings);
    const created = await server.admin('POST', `/admin/identity-stores/${storeId}/integrations`, {
      kind,
      name: `${kind} voice`,
    });
    expect(created.status, created.text).toBe(201);
    const { id, secret } = created.body as { id: string; secret: string };
    return (body: unknown) =>
      server.call('POST', `/hooks/${id}`, {
        body: JSON.stringify(body),
        headers: { authorization: `Bearer ${secret}` },
      });
  }

  const okta = (eventId: string, phoneNumber: string, otpCode: string, deliveryChannel: string) => ({
    eventId,
    eventType: 'com.okta.telephony.provider',
    data: {
      messageProfile: {
        msgTemplate: 'Your code is ${code}',
        phoneNumber,
        otpCode,
        deliveryChannel,
        locale: 'de-DE',
      },
    },
  });

  it('Okta "Voice call" on a voice-enabled store answers SUCCESSFUL and a call speaks the voice template with Okta\'s code', async () => {
    const send = await hookOf('okta', {
      voice: { ...VOICE, messageTemplates: { de: 'Ihr Code ist [Code]. Noch einmal: [Code].' } },
    });
    const phone = mobileNumber();
    const answer = await send(okta('okta-voice-1', phone, '222444', 'VOICE CALL'));
    expect(answer.status, answer.text).toBe(200);
    expect(answer.body.commands?.[0].value[0], answer.text).toMatchObject({ status: 'SUCCESSFUL' });
    expect(await linesTo(phone)).toEqual([
      expect.objectContaining({
        channel: 'voice',
        body: 'Ihr Code ist 2, 2, 2, 4, 4, 4. Noch einmal: 2, 2, 2, 4, 4, 4.',
      }),
    ]);
    const sent = (await eventLines(server.dataDir)).filter(
      (e) =>
        e.type === 'code.sent' &&
        e.data.source === 'okta' &&
        e.data.maskedPhone === `+44*******${phone.slice(-3)}`,
    );
    expect(sent.map((e) => e.data.channel)).toEqual(['voice']);
  });

  it('relayed calls obey voice.allowedCountries and the call caps (not allowVerifyPhone); a store without voice gets the error answer', async () => {
    const elsewhere = await hookOf('okta', { voice: { enabled: true, allowedCountries: ['DE'] } });
    const phone = mobileNumber();
    const refused = await elsewhere(okta('okta-voice-2', phone, '135790', 'Voice call'));
    expect(refused.body).toEqual({ error: { errorSummary: expect.any(String) } });

    const capped = await hookOf('okta', { voice: { ...VOICE, perPhonePerDay: 1 } });
    expect((await capped(okta('okta-voice-3', phone, '111111', 'Voice call'))).body.commands).toBeDefined();
    const second = await capped(okta('okta-voice-4', phone, '222222', 'Voice call'));
    expect(second.body).toEqual({ error: { errorSummary: expect.any(String) } });

    const noVoice = await hookOf('okta', {});
    const off = await noVoice(okta('okta-voice-5', phone, '333333', 'Voice call'));
    expect(off.body).toEqual({ error: { errorSummary: expect.any(String) } });
    expect((await linesTo(phone)).map((l) => l.channel)).toEqual(['voice']);
  });

  it('Auth0 delivery_method "voice" on a voice-enabled store calls with its code', async () => {
    const send = await hookOf('auth0', { voice: VOICE });
    const phone = mobileNumber();
    const answer = await send({
      recipient: phone,
      code: '204817',
      as_text: 'Your verification code is 204817',
      message_type: 'otp_verify',
      delivery_method: 'voice',
    });
    expect(answer.status, answer.text).toBe(200);
    expect(await linesTo(phone)).toEqual([
      expect.objectContaining({
        channel: 'voice',
        body: 'Your verification code is 2, 0, 4, 8, 1, 7. I repeat: 2, 0, 4, 8, 1, 7.',
      }),
    ]);
  });
});
