import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { useLocalContext } from '../../local/local-context.ts';
import { readConfig } from '../../shared/runtime/config.ts';
import { clientFor, mobileNumber } from '../support/client.ts';
import { startFakeProvider, type FakeProvider } from '../support/fake-provider.ts';
import { eventLines } from '../support/local-events.ts';
import { ManualClock } from '../support/manual-clock.ts';
import { startTestServer, type TestServer } from '../support/local-server.ts';

/**
 * Gateway health against the local server (api.md "Gateway health"), the clock injected so that the
 * 60 seconds pass without waiting. Two custom-http gateways on fake providers: `flaky` first in the
 * store's order, `steady` after it.
 */
let server: TestServer;
const clock = new ManualClock();
let flakyApi: FakeProvider;
let steadyApi: FakeProvider;

beforeAll(async () => {
  server = await startTestServer();
  useLocalContext({ clock }, readConfig());
  flakyApi = await startFakeProvider();
  steadyApi = await startFakeProvider();
});
afterAll(async () => {
  useLocalContext();
  await server.stop();
  await Promise.all([flakyApi.close(), steadyApi.close()]);
});

const accepted = () => ({ status: 200, body: { id: `m-${Math.random().toString(36).slice(2)}` } });

async function gateway(name: string, api: FakeProvider): Promise<string> {
  const created = await server.admin('POST', '/admin/gateways', {
    name: `${name} ${Math.random().toString(36).slice(2)}`,
    type: 'custom-http',
    url: `${api.url}/sms`,
  });
  expect(created.status, created.text).toBe(201);
  return created.body.id as string;
}

/** A store sending through `flaky` then `steady`, and a function that sends one code. */
async function setup() {
  flakyApi.reply(accepted());
  steadyApi.reply(accepted());
  const flaky = await gateway('flaky', flakyApi);
  const steady = await gateway('steady', steadyApi);
  const client = await clientFor(server, {
    smsAuth: { gatewayId: flaky, fallbackGatewayIds: [steady] },
    fraudGuard: { mode: 'off' },
  });
  const send = async () => {
    const sent = await client.call('POST', '/v1/verifications', { phoneNumber: mobileNumber() });
    expect(sent.status, sent.text).toBe(201);
    return sent;
  };
  const health = async (id = flaky) => {
    const answer = await server.admin('GET', `/admin/gateways/${id}`);
    expect(answer.status, answer.text).toBe(200);
    return answer.body.health as { state: string; failures: number; attempts: number; openedAt?: string };
  };
  const breakerEvents = async () =>
    (await eventLines(server.dataDir)).filter(
      (e) => (e.type === 'gateway.opened' || e.type === 'gateway.closed') && e.data.gatewayId === flaky,
    );
  return { flaky, steady, client, send, health, breakerEvents };
}

beforeEach(() => {
  clock.advance(10 * 60_000);
});

describe('gateway health', () => {
  it('five 500s in a minute open the gateway; it is skipped for 60 s; one trial then closes it', async () => {
    const { flaky, send, health, breakerEvents } = await setup();
    expect(await health()).toEqual({ state: 'closed', failures: 0, attempts: 0 });

    flakyApi.reply({ status: 500, body: { error: 'down' } });
    for (let i = 0; i < 4; i++) await send();
    expect((await health()).state).toBe('closed');
    await send();
    const opened = await health();
    expect(opened).toEqual({
      state: 'open',
      failures: 5,
      attempts: 5,
      openedAt: clock.now().toISOString(),
    });
    expect((await breakerEvents()).map((e) => [e.type, e.data])).toEqual([
      ['gateway.opened', { gatewayId: flaky, failures: 5, attempts: 5, openedAt: opened.openedAt }],
    ]);
    // The list shows the same.
    const list = await server.admin('GET', '/admin/gateways?limit=100');
    expect(list.body.items.find((g: { id: string }) => g.id === flaky).health.state).toBe('open');

    // Open: the next sends make no request to it (even a slow one would not be waited on).
    flakyApi.reply({ status: 500, delayMs: 5_000 });
    const before = flakyApi.requests.length;
    const started = performance.now();
    await send();
    await send();
    expect(flakyApi.requests.length).toBe(before);
    expect(performance.now() - started).toBeLessThan(4_000);

    clock.advance(59_000);
    expect((await health()).state).toBe('open');
    clock.advance(1_000);
    expect((await health()).state).toBe('half-open');

    // Half-open: one trial, which succeeds and closes it.
    flakyApi.reply(accepted());
    await send();
    expect(flakyApi.requests.length).toBe(before + 1);
    expect((await health()).state).toBe('closed');
    const events = await breakerEvents();
    expect(events.map((e) => e.type)).toEqual(['gateway.opened', 'gateway.closed']);
    expect(events[1]!.data).toMatchObject({ gatewayId: flaky, openedAt: opened.openedAt });
    expect(Object.keys(events[1]!.data).sort()).toEqual(['attempts', 'failures', 'gatewayId', 'openedAt']);
    await send();
    expect(flakyApi.requests.length).toBe(before + 2);
  });

  it('a failed trial opens it again for another 60 s', async () => {
    const { send, health, breakerEvents } = await setup();
    flakyApi.reply({ status: 503 });
    for (let i = 0; i < 5; i++) await send();
    expect((await health()).state).toBe('open');
    clock.advance(60_000);
    expect((await health()).state).toBe('half-open');
    const before = flakyApi.requests.length;
    await send();
    expect(flakyApi.requests.length).toBe(before + 1);
    const reopened = await health();
    expect(reopened.state).toBe('open');
    expect(reopened.openedAt).toBe(clock.now().toISOString());
    expect((await breakerEvents()).map((e) => e.type)).toEqual(['gateway.opened', 'gateway.opened']);
    await send();
    expect(flakyApi.requests.length).toBe(before + 1);
  });

  it('failures that are fewer than half of the attempts, or older than 60 s, do not open it', async () => {
    const { send, health } = await setup();
    flakyApi.reply(accepted(), accepted(), accepted(), accepted(), accepted(), accepted());
    for (let i = 0; i < 6; i++) await send();
    flakyApi.reply({ status: 500 });
    for (let i = 0; i < 5; i++) await send();
    expect(await health()).toEqual({ state: 'closed', failures: 5, attempts: 11 });
    clock.advance(60_001);
    await send();
    expect(await health()).toEqual({ state: 'closed', failures: 1, attempts: 1 });
  });

  it('a tenant cannot open a gateway by sending to dead numbers: refusals of one number never count', async () => {
    const { send, health, client } = await setup();
    flakyApi.reply({ status: 400, body: { error: 'invalid destination number' } });
    for (let i = 0; i < 8; i++) await send();
    expect(await health()).toEqual({ state: 'closed', failures: 0, attempts: 0 });
    expect(client.storeId).toBeTruthy();
  });

  it('test connections neither count nor open or close anything', async () => {
    const { flaky, health } = await setup();
    flakyApi.reply({ status: 500 });
    for (let i = 0; i < 6; i++) {
      const tested = await server.admin('POST', `/admin/gateways/${flaky}/test`, {
        phoneNumber: mobileNumber(),
      });
      expect(tested.status).toBe(502);
    }
    expect(await health()).toEqual({ state: 'closed', failures: 0, attempts: 0 });
  });
});
