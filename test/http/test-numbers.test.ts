import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientFor, mobileNumber, outbox } from '../support/client.ts';
import { startFakeProvider, type FakeProvider } from '../support/fake-provider.ts';
import { startTestServer, type TestServer } from '../support/local-server.ts';
import { expectProblem } from '../support/problems.ts';
import { eventLines as localEventLines } from '../support/local-events.ts';

/** api.md "Test numbers and trusted numbers", against the local server (which always allows test numbers). */
let server: TestServer;
let provider: FakeProvider;
beforeAll(async () => {
  server = await startTestServer();
  provider = await startFakeProvider();
});
afterAll(async () => {
  await provider.close();
  await server.stop();
});

/** Distinct fictional numbers per test: `+44 7700 900XXX`. */
let nextFictional = 0;
const fictional = () => `+447700900${String((process.pid + ++nextFictional * 37) % 1000).padStart(3, '0')}`;

async function providerGateway(): Promise<string> {
  const created = await server.admin('POST', '/admin/gateways', {
    name: `Fake ${Math.random()}`,
    type: 'custom-http',
    url: `${provider.url}/send`,
  });
  if (created.status !== 201) throw new Error(created.text);
  return created.body.id;
}

async function consoleGatewayId(): Promise<string> {
  const gateways = await server.admin('GET', '/admin/gateways');
  return gateways.body.items.find((g: { type: string }) => g.type === 'console').id;
}

async function events(type: string): Promise<{ data: Record<string, unknown> }[]> {
  return (await localEventLines(server.dataDir)).filter((event) => event.type === type);
}

const sentTo = async (to: string) => (await outbox(server)).filter((m) => m.to === to).length;
const paths = (answer: { body: { errors?: { path: string }[] } }) =>
  (answer.body.errors ?? []).map((e) => e.path);

describe('a test number', () => {
  it('201 with nothing at any provider or in the outbox; its fixed code approves, a wrong one counts an attempt; the per-phone limit applies', async () => {
    const phone = fictional();
    const other = fictional();
    // A real provider first, the console (outbox) as fallback: neither may see a test number.
    const client = await clientFor(server, {
      smsAuth: { gatewayId: await providerGateway(), fallbackGatewayIds: [await consoleGatewayId()] },
      codePolicy: { resendIntervalSeconds: 0, maxAttempts: 3 },
      sendLimits: { perPhonePer10Minutes: 3 },
      // Two test numbers share this prefix; neither counts against it.
      fraudGuard: { prefixDigits: 9, maxUnverifiedPerPrefixPerHour: 1 },
      testNumbers: [
        { phoneNumber: phone, code: '246810' },
        { phoneNumber: other, code: '135790' },
      ],
    });
    const store = await server.admin('GET', `/admin/identity-stores/${client.storeId}`);
    expect(store.body.testNumbers).toEqual([
      { phoneNumber: phone, codeLength: 6 },
      { phoneNumber: other, codeLength: 6 },
    ]);
    expect(store.text).not.toContain('246810');
    const providerBefore = provider.requests.length;

    const first = await client.call('POST', '/v1/verifications', { phoneNumber: phone });
    expect(first.status, first.text).toBe(201);
    expect(first.body.maskedPhone).toBe(`+44*******${phone.slice(-3)}`);
    const wrong = await client.call('POST', `/v1/challenges/${first.body.id}/verify`, { code: '000000' });
    expectProblem(wrong, 422, 'invalid-code');
    expect(wrong.body.attemptsRemaining).toBe(2);
    // Another test number's code is not this one's.
    const others = await client.call('POST', `/v1/challenges/${first.body.id}/verify`, { code: '135790' });
    expectProblem(others, 422, 'invalid-code');
    expect(others.body.attemptsRemaining).toBe(1);
    const approved = await client.call('POST', `/v1/challenges/${first.body.id}/verify`, { code: '246810' });
    expect(approved.status, approved.text).toBe(200);
    expect(approved.body).toMatchObject({ status: 'approved', purpose: 'verify-phone', phoneNumber: phone });

    // The other test number is unverified in the same 9-digit prefix as the first: the guard ignores both.
    expect((await client.call('POST', '/v1/verifications', { phoneNumber: other })).status).toBe(201);

    // perPhonePer10Minutes 3: the fourth send to the number is refused (the fixed code is not guessable without bound).
    const statuses = [];
    for (let i = 0; i < 3; i++) {
      statuses.push((await client.call('POST', '/v1/verifications', { phoneNumber: phone })).status);
    }
    expect(statuses).toEqual([201, 201, 429]);

    expect(provider.requests.length).toBe(providerBefore);
    expect(await sentTo(phone)).toBe(0);
    expect(await sentTo(other)).toBe(0);
    const sent = (await events('code.sent')).filter((e) => e.data.challengeId === first.body.id);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.data).toMatchObject({ test: true, estimatedCost: { amount: 0, currency: 'USD' } });
    expect(JSON.stringify(sent)).not.toContain('246810');
    // A fictional range is no number the parser knows: its events name no country, approval included
    // (verify reads what the send stored, challenge.ts `country`).
    const approvals = (await events('challenge.approved')).filter(
      (e) => e.data.challengeId === first.body.id,
    );
    expect(approvals).toHaveLength(1);
    for (const event of [...sent, ...approvals]) expect(event.data).not.toHaveProperty('country');
  });

  it('enrolls and signs in a user with its fixed code (factor enroll and the sign-in challenge route)', async () => {
    const phone = fictional();
    const client = await clientFor(server, {
      testNumbers: [{ phoneNumber: phone, code: '9876' }],
      codePolicy: { length: 4 },
    });
    const userId = `user-${Math.random().toString(36).slice(2)}`;
    const enrolled = await client.call('PUT', `/v1/users/${userId}/sms-factor`, { phoneNumber: phone });
    expect(enrolled.status, enrolled.text).toBe(202);
    const activated = await client.call('POST', `/v1/challenges/${enrolled.body.challenge.id}/verify`, {
      code: '9876',
    });
    expect(activated.status, activated.text).toBe(200);
    const signIn = await client.call('POST', `/v1/users/${userId}/sms-factor/challenges`, {});
    expect(signIn.status, signIn.text).toBe(201);
    const wrong = await client.call('POST', `/v1/challenges/${signIn.body.id}/verify`, { code: '1234' });
    expectProblem(wrong, 422, 'invalid-code');
    const approved = await client.call('POST', `/v1/challenges/${signIn.body.id}/verify`, { code: '9876' });
    expect(approved.status, approved.text).toBe(200);
    expect(approved.body).toMatchObject({ status: 'approved', purpose: 'authenticate', userId });
    expect(await sentTo(phone)).toBe(0);
  });

  it('is 400 at its path: a code of another length, a real number, a policy change that breaks a code', async () => {
    const create = (settings: Record<string, unknown>) =>
      server.admin('POST', '/admin/identity-stores', { name: 'Test numbers', ...settings });
    const shortCode = await create({ testNumbers: [{ phoneNumber: fictional(), code: '1234' }] });
    expectProblem(shortCode, 400, 'validation-failed');
    expect(paths(shortCode)).toEqual(['testNumbers.0.code']);
    const real = await create({ testNumbers: [{ phoneNumber: mobileNumber(), code: '123456' }] });
    expectProblem(real, 400, 'validation-failed');
    expect(paths(real)).toEqual(['testNumbers.0.phoneNumber']);
    const tooMany = await create({
      testNumbers: Array.from({ length: 21 }, (_, i) => ({
        phoneNumber: `+447700900${String(i).padStart(3, '0')}`,
        code: '123456',
      })),
    });
    expectProblem(tooMany, 400, 'validation-failed');

    const store = await create({ testNumbers: [{ phoneNumber: fictional(), code: '123456' }] });
    expect(store.status, store.text).toBe(201);
    const longer = await server.admin('PATCH', `/admin/identity-stores/${store.body.id}`, {
      codePolicy: { length: 8 },
    });
    expectProblem(longer, 400, 'validation-failed');
    expect(paths(longer)).toEqual(['testNumbers.0.code']);
    const cleared = await server.admin('PATCH', `/admin/identity-stores/${store.body.id}`, {
      codePolicy: { length: 8 },
      testNumbers: null,
    });
    expect(cleared.status, cleared.text).toBe(200);
    expect(cleared.body.testNumbers).toEqual([]);
  });
});

describe('a trusted number', () => {
  it('enrolled by 4 users in 10 minutes with perPhonePer10Minutes 2: all 202; an ordinary number is refused on the third', async () => {
    const trusted = mobileNumber();
    const ordinary = mobileNumber();
    const client = await clientFor(server, {
      sendLimits: { perPhonePer10Minutes: 2 },
      trustedNumbers: [trusted.slice(1)],
    });
    const store = await server.admin('GET', `/admin/identity-stores/${client.storeId}`);
    expect(store.body.trustedNumbers).toEqual([trusted]);
    const enroll = async (phoneNumber: string) => {
      const statuses = [];
      for (let i = 0; i < 4; i++) {
        const userId = `desk-${i}-${Math.random().toString(36).slice(2)}`;
        statuses.push((await client.call('PUT', `/v1/users/${userId}/sms-factor`, { phoneNumber })).status);
      }
      return statuses;
    };
    expect(await enroll(trusted)).toEqual([202, 202, 202, 202]);
    expect(await sentTo(trusted)).toBe(4);
    expect(await enroll(ordinary)).toEqual([202, 202, 429, 429]);
  });
});
