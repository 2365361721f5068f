import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDocumentClient } from '../../shared/adapters/dynamodb/document-client.ts';
import type { AuditEventType } from '../../shared/domain/events/event-types.ts';
import { routes } from '../../shared/routes.ts';
import { clientFor, mobileNumber } from '../support/client.ts';
import { eventLines } from '../support/local-events.ts';
import { startTestServer, type TestResponse, type TestServer } from '../support/local-server.ts';
import { startWebhookReceiver } from '../support/webhook-receiver.ts';

/**
 * api.md "Audit is not a side path": every admin write commits its `AUDIT#` record in its own
 * transaction. Table-driven over the route table's admin writes, so a new one fails here until it has a
 * case (or a stated exception): a valid write adds exactly one record, with the route's type and ids, the
 * record's id and data are the published event's, and it holds no secret of the answer; a refused write
 * (404, 409, or a condition of its transaction) adds none.
 */
let server: TestServer;
let documents: ReturnType<typeof createDocumentClient>;
type Client = Awaited<ReturnType<typeof clientFor>>;
let client: Client;

let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;

beforeAll(async () => {
  server = await startTestServer();
  receiver = await startWebhookReceiver();
  documents = createDocumentClient({ endpoint: server.dynamoDbEndpoint });
  client = await clientFor(server, { sendLimits: { perPhonePer10Minutes: 100, perPhonePerDay: 200 } });
});
afterAll(async () => {
  await receiver.stop();
  await server.stop();
});

/** Routes that write but record no audit, and why. */
const EXCEPTED: Record<string, string> = {
  'gateways-test': 'sends one test message through a gateway; changes nothing an admin configures',
};

const ADMIN_WRITES = routes.filter((r) => r.path.startsWith('/admin/') && r.method !== 'GET');

interface Request {
  path: string;
  body?: unknown;
  headers?: Record<string, string>;
}
interface Case {
  type: AuditEventType;
  /** Makes what the write needs; the ids the record must name, from the write's answer. */
  valid(): Promise<Request & { ids(answer: TestResponse): Record<string, string> }>;
  /** A write that is refused, and its status. */
  refused(): Promise<Request & { status: number }>;
}

const ok = async (method: string, path: string, body?: unknown) => {
  const answer = await server.admin(method, path, body);
  expect(answer.status, `${method} ${path}: ${answer.text}`).toBeLessThan(300);
  return answer.body as Record<string, unknown> & { id: string; version: number };
};
/** An id of the same kind that names nothing. */
const unknown = (id: string) => `${id.slice(0, -6)}zzzzzz`;
const suffix = () => Math.random().toString(36).slice(2, 8);
const store = (storeId = client.storeId) => `/admin/identity-stores/${storeId}`;
const twilio = () => ({
  name: `Audit ${suffix()}`,
  type: 'twilio',
  accountId: 'AC0123456789abcdef0123456789abcdef',
  password: 'twilio-auth-token-SECRET-1',
  from: '+15005550006',
});
const newGateway = () => ok('POST', '/admin/gateways', twilio());
const newStore = () => ok('POST', '/admin/identity-stores', { name: `Audited ${suffix()}` });
const newKey = () => ok('POST', `${store()}/api-keys`, { name: 'audited key' });
const newWebhook = () =>
  ok('POST', `${store()}/webhooks`, { url: 'http://127.0.0.1:9/hooks', eventTypes: ['challenge.approved'] });
const newApplication = () => ok('POST', `${store()}/applications`, { name: `App ${suffix()}` });
const newIntegration = () =>
  ok('POST', `${store()}/integrations`, { kind: 'okta', name: `Okta ${suffix()}` });
const enrolled = async () => {
  const userId = `user-${suffix()}`;
  const started = await client.call('PUT', `/v1/users/${userId}/sms-factor`, { phoneNumber: mobileNumber() });
  expect(started.status, started.text).toBe(202);
  return userId;
};
const storeIds = (ids: Record<string, string> = {}) => ({ storeId: client.storeId, ...ids });

const CASES: Record<string, Case> = {
  'gateways-create': {
    type: 'admin.gateway.created',
    valid: async () => ({ path: '/admin/gateways', body: twilio(), ids: (a) => ({ gatewayId: a.body.id }) }),
    // The name is taken: the name item's condition refuses the transaction.
    refused: async () => {
      const body = twilio();
      await ok('POST', '/admin/gateways', body);
      return { path: '/admin/gateways', body, status: 409 };
    },
  },
  'gateways-update': {
    type: 'admin.gateway.updated',
    valid: async () => {
      const gateway = await newGateway();
      return {
        path: `/admin/gateways/${gateway.id}`,
        body: { name: `Renamed ${suffix()}` },
        ids: () => ({ gatewayId: gateway.id }),
      };
    },
    refused: async () => {
      const gateway = await newGateway();
      return { path: `/admin/gateways/${unknown(gateway.id)}`, body: { name: 'x' }, status: 404 };
    },
  },
  'gateways-delete': {
    type: 'admin.gateway.deleted',
    valid: async () => {
      const gateway = await newGateway();
      return { path: `/admin/gateways/${gateway.id}`, ids: () => ({ gatewayId: gateway.id }) };
    },
    // Linked to a store: the delete's condition refuses the transaction.
    refused: async () => ({ path: `/admin/gateways/${client.gatewayId}`, status: 409 }),
  },
  'identity-stores-create': {
    type: 'admin.identity-store.created',
    valid: async () => ({
      path: '/admin/identity-stores',
      body: { name: `Audited ${suffix()}` },
      ids: (a) => ({ storeId: a.body.id }),
    }),
    // A gateway that does not exist: its link's condition refuses the transaction.
    refused: async () => ({
      path: '/admin/identity-stores',
      body: { name: `Refused ${suffix()}`, smsAuth: { enabled: true, gatewayId: unknown(client.gatewayId) } },
      status: 400,
    }),
  },
  'identity-stores-update': {
    type: 'admin.identity-store.updated',
    valid: async () => {
      const created = await newStore();
      return { path: store(created.id), body: { name: 'renamed' }, ids: () => ({ storeId: created.id }) };
    },
    refused: async () => ({ path: store(unknown(client.storeId)), body: { name: 'x' }, status: 404 }),
  },
  'identity-stores-delete': {
    type: 'admin.identity-store.deleted',
    valid: async () => {
      const created = await newStore();
      return { path: store(created.id), ids: () => ({ storeId: created.id }) };
    },
    refused: async () => ({ path: store(unknown(client.storeId)), status: 404 }),
  },
  'api-keys-create': {
    type: 'admin.api-key.created',
    valid: async () => ({
      path: `${store()}/api-keys`,
      body: { name: 'audited key' },
      ids: (a) => storeIds({ keyId: a.body.id }),
    }),
    // An application that does not exist: its check refuses the transaction.
    refused: async () => {
      const application = await newApplication();
      return {
        path: `${store()}/api-keys`,
        body: { name: 'refused key', applicationId: unknown(application.id) },
        status: 400,
      };
    },
  },
  'api-keys-delete': {
    type: 'admin.api-key.deleted',
    valid: async () => {
      const key = await newKey();
      return { path: `${store()}/api-keys/${key.id}`, ids: () => storeIds({ keyId: key.id }) };
    },
    refused: async () => {
      const key = await newKey();
      return { path: `${store()}/api-keys/${unknown(key.id)}`, status: 404 };
    },
  },
  'webhooks-create': {
    type: 'admin.webhook.created',
    valid: async () => ({
      path: `${store()}/webhooks`,
      body: { url: 'http://127.0.0.1:9/hooks', eventTypes: ['challenge.approved'] },
      ids: (a) => storeIds({ webhookId: a.body.id }),
    }),
    refused: async () => ({
      path: `${store(unknown(client.storeId))}/webhooks`,
      body: { url: 'http://127.0.0.1:9/hooks' },
      status: 404,
    }),
  },
  'webhooks-delete': {
    type: 'admin.webhook.deleted',
    valid: async () => {
      const webhook = await newWebhook();
      return { path: `${store()}/webhooks/${webhook.id}`, ids: () => storeIds({ webhookId: webhook.id }) };
    },
    refused: async () => {
      const webhook = await newWebhook();
      return { path: `${store()}/webhooks/${unknown(webhook.id)}`, status: 404 };
    },
  },
  'webhooks-rotate-secret': {
    type: 'admin.webhook.rotated',
    valid: async () => {
      const webhook = await newWebhook();
      return {
        path: `${store()}/webhooks/${webhook.id}/rotate-secret`,
        ids: () => storeIds({ webhookId: webhook.id }),
      };
    },
    refused: async () => {
      const webhook = await newWebhook();
      return { path: `${store()}/webhooks/${unknown(webhook.id)}/rotate-secret`, status: 404 };
    },
  },
  'store-users-reset-factor': {
    type: 'admin.factor.reset',
    valid: async () => {
      const userId = await enrolled();
      return {
        path: `${store()}/users/${userId}/sms-factor/reset`,
        body: { reason: 'ticket 7' },
        ids: () => storeIds({ userId, reason: 'ticket 7' }),
      };
    },
    // No factor: the factor's condition refuses the transaction.
    refused: async () => ({
      path: `${store()}/users/nobody-${suffix()}/sms-factor/reset`,
      body: { reason: 'ticket 8' },
      status: 404,
    }),
  },
  'store-users-unlock': {
    type: 'admin.factor.unlocked',
    valid: async () => {
      const userId = await enrolled();
      return { path: `${store()}/users/${userId}/unlock`, ids: () => storeIds({ userId }) };
    },
    refused: async () => ({ path: `${store()}/users/nobody-${suffix()}/unlock`, status: 404 }),
  },
  'webhook-deliveries-retry': {
    type: 'admin.webhook-delivery.retried',
    valid: async () => {
      // A delivery of a user's challenge.created to a receiver, ended (succeeded) before the retry.
      const webhook = await ok('POST', `${store()}/webhooks`, {
        url: receiver.url,
        eventTypes: ['challenge.created'],
      });
      const seen = receiver.received.length;
      await enrolled();
      await receiver.until((got) => got.length > seen);
      const deliveryId = receiver.received.at(-1)!.headers['webhook-id']!;
      const listed = `${store()}/webhooks/${webhook.id}/deliveries`;
      for (let end = Date.now() + 10_000; ;) {
        const items = (await server.admin('GET', listed)).body.items as { id: string; status: string }[];
        if (items.some((d) => d.id === deliveryId && d.status === 'succeeded')) break;
        expect(Date.now()).toBeLessThan(end);
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
      return {
        path: `${listed}/${deliveryId}/retry`,
        ids: () => storeIds({ webhookId: webhook.id, deliveryId }),
      };
    },
    refused: async () => {
      const webhook = await newWebhook();
      return { path: `${store()}/webhooks/${webhook.id}/deliveries/evt_none/retry`, status: 404 };
    },
  },
  'blocks-delete': {
    type: 'admin.block.deleted',
    valid: async () => {
      const blocked = await clientFor(server, {
        fraudGuard: { maxUnverifiedPerCountryPerHour: 3, maxUnverifiedPerPrefixPerHour: 1000 },
      });
      for (let i = 0; i < 3; i++) {
        const sent = await blocked.call('POST', '/v1/verifications', { phoneNumber: mobileNumber() });
        expect(sent.status, sent.text).toBe(201);
      }
      return {
        path: `${store(blocked.storeId)}/blocks/country/GB`,
        ids: () => ({ storeId: blocked.storeId, kind: 'country', value: 'GB' }),
      };
    },
    refused: async () => ({ path: `${store()}/blocks/country/FR`, status: 404 }),
  },
  'applications-create': {
    type: 'admin.application.created',
    valid: async () => ({
      path: `${store()}/applications`,
      body: { name: `App ${suffix()}` },
      ids: (a) => storeIds({ applicationId: a.body.id }),
    }),
    refused: async () => ({
      path: `${store(unknown(client.storeId))}/applications`,
      body: { name: 'x' },
      status: 404,
    }),
  },
  'applications-update': {
    type: 'admin.application.updated',
    valid: async () => {
      const application = await newApplication();
      return {
        path: `${store()}/applications/${application.id}`,
        body: { name: `Renamed ${suffix()}` },
        ids: () => storeIds({ applicationId: application.id }),
      };
    },
    refused: async () => {
      const application = await newApplication();
      return { path: `${store()}/applications/${unknown(application.id)}`, body: { name: 'x' }, status: 404 };
    },
  },
  'applications-delete': {
    type: 'admin.application.deleted',
    valid: async () => {
      const application = await newApplication();
      return {
        path: `${store()}/applications/${application.id}`,
        ids: () => storeIds({ applicationId: application.id }),
      };
    },
    refused: async () => {
      const application = await newApplication();
      return { path: `${store()}/applications/${unknown(application.id)}`, status: 404 };
    },
  },
  'integrations-create': {
    type: 'admin.integration.created',
    valid: async () => ({
      path: `${store()}/integrations`,
      body: { kind: 'okta', name: `Okta ${suffix()}` },
      ids: (a) => storeIds({ integrationId: a.body.id }),
    }),
    refused: async () => ({
      path: `${store(unknown(client.storeId))}/integrations`,
      body: { kind: 'okta', name: 'x' },
      status: 404,
    }),
  },
  'integrations-update': {
    type: 'admin.integration.updated',
    valid: async () => {
      const integration = await newIntegration();
      return {
        path: `${store()}/integrations/${integration.id}`,
        body: { name: `Renamed ${suffix()}` },
        ids: () => storeIds({ integrationId: integration.id }),
      };
    },
    refused: async () => {
      const integration = await newIntegration();
      return { path: `${store()}/integrations/${unknown(integration.id)}`, body: { name: 'x' }, status: 404 };
    },
  },
  'integrations-delete': {
    type: 'admin.integration.deleted',
    valid: async () => {
      const integration = await newIntegration();
      return {
        path: `${store()}/integrations/${integration.id}`,
        ids: () => storeIds({ integrationId: integration.id }),
      };
    },
    // Another store's integration: the delete's condition refuses the transaction.
    refused: async () => {
      const other = await clientFor(server);
      const integration = await ok('POST', `${store(other.storeId)}/integrations`, {
        kind: 'okta',
        name: 'o',
      });
      return { path: `${store()}/integrations/${integration.id}`, status: 404 };
    },
  },
  'integrations-rotate-secret': {
    type: 'admin.integration.rotated',
    valid: async () => {
      const integration = await newIntegration();
      return {
        path: `${store()}/integrations/${integration.id}/rotate-secret`,
        ids: () => storeIds({ integrationId: integration.id }),
      };
    },
    refused: async () => {
      const integration = await newIntegration();
      return { path: `${store()}/integrations/${unknown(integration.id)}/rotate-secret`, status: 404 };
    },
  },
};

interface AuditItem {
  pk: string;
  sk: string;
  id: string;
  type: string;
  timestamp: string;
  data: Record<string, string>;
}

/** Every audit record in the server's table (its own table: a Scan reads this run's items only). */
async function auditItems(): Promise<AuditItem[]> {
  const items: AuditItem[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await documents.send(
      new ScanCommand({
        TableName: server.tableName,
        FilterExpression: 'begins_with(pk, :audit)',
        ExpressionAttributeValues: { ':audit': 'AUDIT#' },
        ExclusiveStartKey: start,
      }),
    );
    items.push(...((page.Items ?? []) as AuditItem[]));
    start = page.LastEvaluatedKey;
  } while (start);
  return items;
}

async function newAuditItems(write: () => Promise<TestResponse>) {
  const before = new Set((await auditItems()).map((item) => `${item.pk}|${item.sk}`));
  const answer = await write();
  const added = (await auditItems()).filter((item) => !before.has(`${item.pk}|${item.sk}`));
  return { answer, added };
}

/** Every string of an answer's body that could be a secret (keys, hook and webhook secrets). */
const secretsOf = (body: unknown): string[] =>
  Object.entries((body ?? {}) as Record<string, unknown>)
    .filter(([name, value]) => typeof value === 'string' && /secret|key|password/i.test(name))
    .map(([, value]) => value as string);

describe('admin writes and their audit records', () => {
  it('every admin write route has a case here, or a stated exception', () => {
    expect(ADMIN_WRITES.map((r) => r.id).sort()).toEqual(
      [...Object.keys(CASES), ...Object.keys(EXCEPTED)].sort(),
    );
    // The audit types are the routes' own (support routes audit in their domain).
    for (const route of ADMIN_WRITES) {
      const audit = route.operation.audit;
      if (audit) expect(CASES[route.id]?.type, route.id).toBe(audit.type);
    }
  });

  for (const route of ADMIN_WRITES.filter((r) => !(r.id in EXCEPTED))) {
    it(`${route.id}: a valid write commits exactly one AUDIT# record, the published event's`, async () => {
      const spec = CASES[route.id];
      expect(spec, `no case for ${route.id}`).toBeDefined();
      const { path, body, headers, ids } = await spec!.valid();
      const { answer, added } = await newAuditItems(() => server.admin(route.method, path, body, headers));
      expect(answer.status, answer.text).toBe(route.operation.status);
      const data: Record<string, string> = { actor: 'local-admin', ...ids(answer) };
      expect(added).toHaveLength(1);
      const [record] = added;
      expect(record).toMatchObject({
        pk: `AUDIT#${data.storeId ?? 'account'}`,
        sk: `${record!.timestamp}#${record!.id}`,
        type: spec!.type,
      });
      expect(record!.data).toEqual(data);
      // No credential, key or secret of the answer is in the record.
      const text = JSON.stringify(record);
      for (const secret of secretsOf(answer.body)) expect(text).not.toContain(secret);
      // The event published after the answer is the record: same id, time, type and data.
      const events = (await eventLines(server.dataDir)).filter((e) => e.id === record!.id);
      expect(events).toEqual([{ id: record!.id, type: spec!.type, timestamp: record!.timestamp, data }]);
    });

    it(`${route.id}: a refused write leaves no AUDIT# record`, async () => {
      const { path, body, headers, status } = await CASES[route.id]!.refused();
      const { answer, added } = await newAuditItems(() => server.admin(route.method, path, body, headers));
      expect(answer.status, answer.text).toBe(status);
      expect(added).toEqual([]);
    });
  }
});
