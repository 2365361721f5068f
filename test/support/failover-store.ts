import { expect } from 'vitest';
import { clientFor } from './client.ts';
import type { FakeProvider } from './fake-provider.ts';
import type { TestServer } from './local-server.ts';

const id = () => Math.random().toString(36).slice(2);

/**
 * A store for delivery-failover tests: Sinch first (a type with per-message receipt addresses), a
 * custom-http fallback, and `routing` with a delivery deadline, all written through the admin API. Each
 * fake answers its next message as accepted.
 */
export async function failoverStore(
  server: TestServer,
  apis: { sinch: FakeProvider; fallback: FakeProvider },
  options: {
    deadlineSeconds: number;
    settings?: Record<string, unknown>;
    routing?: object;
    /** Each gateway's `pricePerSegment.default`; absent: none (the store's price). */
    prices?: { sinch?: number; fallback?: number };
  },
) {
  const price = (value: number | undefined) =>
    value === undefined ? {} : { pricePerSegment: { default: value } };
  apis.sinch.reply({ status: 201, body: { id: `batch-${id()}` } });
  apis.fallback.reply({ status: 200, body: { id: `fb-${id()}` } });
  const sinch = await server.admin('POST', '/admin/gateways', {
    name: `sinch ${id()}`,
    type: 'sinch',
    url: `${apis.sinch.url}/xms/v1/plan/batches`,
    accountId: 'plan',
    password: 'token',
    from: '+15005550006',
    ...price(options.prices?.sinch),
  });
  const fallback = await server.admin('POST', '/admin/gateways', {
    name: `fallback ${id()}`,
    type: 'custom-http',
    url: `${apis.fallback.url}/sms`,
    ...price(options.prices?.fallback),
  });
  expect(sinch.status, sinch.text).toBe(201);
  expect(fallback.status, fallback.text).toBe(201);
  const client = await clientFor(server, {
    smsAuth: { gatewayId: sinch.body.id, fallbackGatewayIds: [fallback.body.id] },
    fraudGuard: { mode: 'off' },
    routing: { deliveryDeadlineSeconds: options.deadlineSeconds, minSamples: 10, ...options.routing },
    ...options.settings,
  });
  return { client, sinchId: sinch.body.id as string, fallbackId: fallback.body.id as string };
}
