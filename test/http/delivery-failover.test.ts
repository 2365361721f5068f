import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { TimerScheduler } from '../../shared/adapters/reroutes/local-reroute-timers.ts';
import type { RoutingInput } from '../../shared/domain/identity-stores/routing-settings.ts';
import { useLocalContext } from '../../local/local-context.ts';
import { readConfig } from '../../shared/runtime/config.ts';
import type { DeliveryStats, GatewayCountryStats } from '../../shared/ports/delivery-stats.ts';
import { budgetSpend } from '../support/budget-spend.ts';
import { mobileNumber } from '../support/client.ts';
import { failoverStore } from '../support/failover-store.ts';
import { startFakeProvider, type FakeProvider } from '../support/fake-provider.ts';
import { eventLines } from '../support/local-events.ts';
import { startTestServer, type TestServer } from '../support/local-server.ts';

/**
 * Delivery failover against the local server (api.md "Delivery failover", "Reroutes are bounded"). The
 * first gateway is a Sinch account (its receipts come on per-message addresses) on a fake API, the
 * fallback a custom-http gateway on another; delivery statistics are an in-memory stand-in (wt-routing
 * implements the real ones), and the reroute timers are injected: each job is held with its delay and
 * run when the test says (the local server runs them on real timers).
 */
const PUBLIC_URL = 'https://mfa.example.com';
const DEADLINE_SECONDS = 30;

let server: TestServer;
let sinchApi: FakeProvider;
let fallbackApi: FakeProvider;
let previousPublicUrl: string | undefined;
const stats = new Map<string, GatewayCountryStats[]>();
const memoryStats: DeliveryStats = {
  snapshot: async (storeId, { now }) => ({ asOf: now, items: stats.get(storeId) ?? [] }),
};
const jobs: { delayMs: number; run: () => Promise<void> }[] = [];
const heldTimers: TimerScheduler = { after: (delayMs, run) => void jobs.push({ delayMs, run }) };

beforeAll(async () => {
  previousPublicUrl = process.env.PUBLIC_URL;
  process.env.PUBLIC_URL = PUBLIC_URL;
  server = await startTestServer();
  useLocalContext({ deliveryStats: memoryStats, rerouteTimers: heldTimers }, readConfig());
  [sinchApi, fallbackApi] = await Promise.all([startFakeProvider(), startFakeProvider()]);
});
afterAll(async () => {
  useLocalContext();
  await server.stop();
  await Promise.all([sinchApi.close(), fallbackApi.close()]);
  if (previousPublicUrl === undefined) delete process.env.PUBLIC_URL;
  else process.env.PUBLIC_URL = previousPublicUrl;
});
beforeEach(() => {
  jobs.length = 0;
});

const id = () => Math.random().toString(36).slice(2);
const codeIn = (body: string) => /(?<!\d)(\d{6})(?!\d)/.exec(body)?.[1];

/** Runs the jobs queued so far (the timers a real server would fire), then lets their sends finish. */
async function runJobs(): Promise<number[]> {
  // A receipt's job is queued beside its answer: give it a moment to arrive.
  await new Promise((resolve) => setTimeout(resolve, 200));
  const due = jobs.splice(0);
  await Promise.all(due.map((job) => job.run()));
  return due.map((job) => job.delayMs);
}

async function setup(
  options: {
    sendLimits?: Record<string, number>;
    routing?: RoutingInput;
    voice?: object;
    spendLimits?: object;
    prices?: { sinch: number; fallback: number };
  } = {},
) {
  const { client, sinchId, fallbackId } = await failoverStore(
    server,
    { sinch: sinchApi, fallback: fallbackApi },
    {
      deadlineSeconds: DEADLINE_SECONDS,
      routing: options.routing ?? {},
      settings: {
        ...(options.sendLimits ? { sendLimits: options.sendLimits } : {}),
        ...(options.voice ? { voice: options.voice } : {}),
        ...(options.spendLimits ? { spendLimits: options.spendLimits } : {}),
      },
      ...(options.prices ? { prices: options.prices } : {}),
    },
  );
  const usually = (delivered: number, accepted = 20) =>
    stats.set(client.storeId, [
      {
        country: 'GB',
        gatewayId: sinchId,
        accepted,
        delivered,
        failed: 0,
        learnAccepted: 0,
        learnApproved: 0,
      },
    ]);
  usually(18);

  /** An enrollment code through Sinch: its challenge, the code and its receipt address. */
  const enroll = async (userId = `u-${id()}`, phone = mobileNumber()) => {
    const batch = `batch-${id()}`;
    sinchApi.reply({ status: 201, body: { id: batch } });
    const before = sinchApi.requests.length;
    const sent = await client.call('PUT', `/v1/users/${userId}/sms-factor`, { phoneNumber: phone });
    expect(sent.status, sent.text).toBe(202);
    expect(sinchApi.requests.length).toBe(before + 1);
    const request = JSON.parse(sinchApi.requests.at(-1)!.body) as { body: string; callback_url: string };
    return {
      challengeId: sent.body.challenge.id as string,
      code: codeIn(request.body)!,
      address: request.callback_url,
      batch,
      userId,
      phone,
    };
  };
  const receipt = (sent: { address: string; batch: string }, status: string) => {
    const url = new URL(sent.address);
    return server.call('POST', `${url.pathname}${url.search}`, {
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        type: 'recipient_delivery_report_sms',
        batch_id: sent.batch,
        recipient: '447400000000',
        code: status === 'Delivered' ? 0 : 402,
        status,
        at: new Date().toISOString(),
      }),
    });
  };
  /** The challenge's `code.rerouted` events, once the reroute's publication has landed (up to 3 s). */
  const rerouted = async (challengeId: string, expected = 1) => {
    const read = async () =>
      (await eventLines(server.dataDir)).filter(
        (e) => e.type === 'code.rerouted' && e.data.challengeId === challengeId,
      );
    for (let waited = 0; waited < 3_000 && (await read()).length < expected; waited += 100) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    return read();
  };
  const fallbackCodesTo = (phone: string) =>
    fallbackApi.requests
      .filter((r) => r.body.includes(phone) || r.body.includes(phone.slice(1)))
      .map((r) => codeIn(r.body));
  /** The store's `send.blocked` events so far. */
  const sendBlocked = async () =>
    (await eventLines(server.dataDir)).filter(
      (e) => e.type === 'send.blocked' && e.data.storeId === client.storeId,
    );
  const history = async (challengeId: string) =>
    (await server.admin('GET', `/admin/identity-stores/${client.storeId}/challenges/${challengeId}`)).body;
  return {
    sinchId,
    fallbackId,
    client,
    enroll,
    receipt,
    rerouted,
    fallbackCodesTo,
    sendBlocked,
    history,
    usually,
  };
}

describe('delivery failover', () => {
  it('no delivered receipt by the deadline: a new code of the same challenge through the fallback, and it verifies', async () => {
    const s = await setup();
    const sent = await s.enroll();
    // The deadline job waits the deadline from the acceptance (the local server fires it on time).
    const delays = await runJobs();
    expect(delays).toHaveLength(1);
    expect(delays[0]).toBeGreaterThan((DEADLINE_SECONDS - 5) * 1000);
    expect(delays[0]).toBeLessThanOrEqual(DEADLINE_SECONDS * 1000);

    const codes = s.fallbackCodesTo(sent.phone);
    expect(codes).toHaveLength(1);
    expect(codes[0]).not.toBe(sent.code);
    expect((await s.rerouted(sent.challengeId)).map((e) => e.data)).toEqual([
      {
        storeId: s.client.storeId,
        challengeId: sent.challengeId,
        userId: sent.userId,
        fromGatewayId: s.sinchId,
        toGatewayId: s.fallbackId,
        reason: 'deadline',
      },
    ]);
    const history = await s.history(sent.challengeId);
    expect(history.sends.map((send: { gatewayId: string }) => send.gatewayId)).toEqual([
      s.sinchId,
      s.fallbackId,
    ]);
    // Each send explains its gateway: the first routing's choice, the second the reroute.
    expect(history.sends.map((send: { route: { choice: string } }) => send.route.choice)).toEqual([
      'head',
      'reroute',
    ]);
    const verified = await s.client.call('POST', `/v1/challenges/${sent.challengeId}/verify`, {
      code: codes[0],
    });
    expect(verified.status, verified.text).toBe(200);
    expect(verified.body.status).toBe('approved');
  });

  it('a gateway that rarely reports delivered, or too few samples: no deadline reroute', async () => {
    const s = await setup();
    s.usually(2, 20);
    const rarely = await s.enroll();
    s.usually(9, 9);
    const fewSamples = await s.enroll();
    await runJobs();
    expect(s.fallbackCodesTo(rarely.phone)).toEqual([]);
    expect(s.fallbackCodesTo(fewSamples.phone)).toEqual([]);
    expect(await s.rerouted(rarely.challengeId, 0)).toEqual([]);
  });

  it('a delivered receipt in time: no reroute', async () => {
    const s = await setup();
    const sent = await s.enroll();
    expect((await s.receipt(sent, 'Delivered')).status).toBe(204);
    await runJobs();
    expect(s.fallbackCodesTo(sent.phone)).toEqual([]);
  });

  it('a failed receipt reroutes at once; a late receipt causes no third send', async () => {
    const s = await setup();
    s.usually(0, 20);
    const sent = await s.enroll();
    expect((await s.receipt(sent, 'Failed')).status).toBe(204);
    const delays = await runJobs();
    expect(delays).toContain(0);
    expect(s.fallbackCodesTo(sent.phone)).toHaveLength(1);
    expect((await s.rerouted(sent.challengeId)).map((e) => e.data.reason)).toEqual(['failed-receipt']);
    // The deadline job of the same message, and a repeated report, change nothing more.
    await runJobs();
    expect((await s.receipt(sent, 'Expired')).status).toBe(204);
    await runJobs();
    expect(s.fallbackCodesTo(sent.phone)).toHaveLength(1);
    expect((await s.history(sent.challengeId)).sends).toHaveLength(2);
  });

  it("a reroute is charged against the budget at its own gateway's price, before its request", async () => {
    const s = await setup({
      prices: { sinch: 0.03, fallback: 0.05 },
      spendLimits: { pricePerSegment: { default: 0.01 }, dailyBudget: 10 },
    });
    const sent = await s.enroll();
    expect(await budgetSpend(server, s.client.storeId)).toBe(30_000);
    expect((await s.receipt(sent, 'Failed')).status).toBe(204);
    await runJobs();
    expect(s.fallbackCodesTo(sent.phone)).toHaveLength(1);
    expect(await budgetSpend(server, s.client.storeId)).toBe(30_000 + 50_000);
  });

  it('a reroute that its own price would take over the budget is refused with send.blocked, nothing sent', async () => {
    const s = await setup({
      prices: { sinch: 0.03, fallback: 0.05 },
      spendLimits: { pricePerSegment: { default: 0.01 }, dailyBudget: 0.07 },
    });
    const sent = await s.enroll();
    expect((await s.receipt(sent, 'Failed')).status).toBe(204);
    await runJobs();
    expect(s.fallbackCodesTo(sent.phone)).toEqual([]);
    expect(await s.rerouted(sent.challengeId, 0)).toEqual([]);
    const blocked = await s.sendBlocked();
    expect(blocked.map((e) => e.data.reason)).toContain('store-budget');
    expect(await budgetSpend(server, s.client.storeId)).toBe(30_000);
  });

  it('an approved challenge is not rerouted', async () => {
    const s = await setup();
    const sent = await s.enroll();
    const verified = await s.client.call('POST', `/v1/challenges/${sent.challengeId}/verify`, {
      code: sent.code,
    });
    expect(verified.status, verified.text).toBe(200);
    await runJobs();
    expect((await s.receipt(sent, 'Failed')).status).toBe(204);
    await runJobs();
    expect(s.fallbackCodesTo(sent.phone)).toEqual([]);
  });

  it('the reroute counts against the per-phone limit: at the limit it is refused with send.blocked', async () => {
    const s = await setup({
      sendLimits: { perPhonePer10Minutes: 1, perPhonePerDay: 10, perStorePerDay: 1000 },
    });
    const sent = await s.enroll();
    expect((await s.receipt(sent, 'Failed')).status).toBe(204);
    await runJobs();
    expect(s.fallbackCodesTo(sent.phone)).toEqual([]);
    expect(await s.rerouted(sent.challengeId, 0)).toEqual([]);
    const blocked = await s.sendBlocked();
    expect(blocked).toHaveLength(1);
    expect(String(blocked[0]!.data.reason)).toMatch(/^reroute-refused/);
  });

  it('verify-phone challenges reroute only on a failed receipt', async () => {
    const s = await setup();
    const phone = mobileNumber();
    const batch = `batch-${id()}`;
    sinchApi.reply({ status: 201, body: { id: batch } });
    const sent = await s.client.call('POST', '/v1/verifications', { phoneNumber: phone });
    expect(sent.status, sent.text).toBe(201);
    const address = (JSON.parse(sinchApi.requests.at(-1)!.body) as { callback_url: string }).callback_url;
    expect(await runJobs()).toEqual([]);
    expect(s.fallbackCodesTo(phone)).toEqual([]);
    expect((await s.receipt({ address, batch }, 'Failed')).status).toBe(204);
    await runJobs();
    expect(s.fallbackCodesTo(phone)).toHaveLength(1);
  });

  it('a job for a deleted store sends and writes nothing', async () => {
    const s = await setup();
    const sent = await s.enroll();
    const deleted = await server.admin('DELETE', `/admin/identity-stores/${s.client.storeId}`);
    expect(deleted.status, deleted.text).toBe(204);
    await runJobs();
    expect(s.fallbackCodesTo(sent.phone)).toEqual([]);
  });

  it('a call arms no deadline: no job, no reroute, however long it goes unreported (issue 29)', async () => {
    const s = await setup({ voice: { enabled: true, allowedCountries: ['GB'] } });
    const phone = mobileNumber();
    sinchApi.reply({ status: 200, body: { callId: `call-${id()}` } });
    const before = sinchApi.requests.length;
    const sent = await s.client.call('PUT', `/v1/users/u-${id()}/sms-factor`, {
      phoneNumber: phone,
      channel: 'voice',
    });
    expect(sent.status, sent.text).toBe(202);
    // The call went to Sinch's callout API (both gateways can call; Sinch is the head).
    expect(sinchApi.requests.length).toBe(before + 1);
    expect(JSON.parse(sinchApi.requests.at(-1)!.body)).toMatchObject({ method: 'ttsCallout' });
    const sends = (await s.history(sent.body.challenge.id)).sends;
    expect(sends).toEqual([expect.objectContaining({ channel: 'voice', outcome: 'accepted' })]);
    // An SMS of the same store, sent after it, does arm its deadline: only the call is left out.
    await s.enroll();
    expect(await runJobs()).toHaveLength(1);
    expect(s.fallbackCodesTo(phone)).toEqual([]);
    expect(await s.rerouted(sent.body.challenge.id, 0)).toEqual([]);
  });
});
