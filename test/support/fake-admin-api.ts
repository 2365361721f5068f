import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { GATEWAY_TYPE_INFO } from '../../shared/domain/gateways/gateway-types.ts';
import { independentAuthorization, type Captured } from './sigv4-check.ts';

/** AWS's documented example credentials: what the signing proxy under test is given. */
export const TEST_CREDENTIALS = {
  AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
  AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
  AWS_SESSION_TOKEN: 'console-session-token',
};

export interface FakeAdminApi {
  /** The base URL, with a stage path as API Gateway has. */
  url: string;
  region: string;
  /** Every request received, signed or not. */
  received: Captured[];
  close(): Promise<void>;
}

/**
 * A stand-in for a deployed admin API on 127.0.0.1: every request must carry a SigV4 signature that an
 * independent computation with the test credentials reproduces (else 403, as API Gateway's IAM
 * authorizer answers); signed requests get the canned answers below.
 */
export const FAKE_WEBHOOK_SECRET = 'whsec_ZmFrZS13ZWJob29rLXNlY3JldC1zaG93bi1vbmNlLTEyMzQ=';

export async function startFakeAdminApi(region = 'eu-west-1'): Promise<FakeAdminApi> {
  const received: Captured[] = [];
  const now = new Date().toISOString();
  const gateway = {
    id: 'gw_fake1',
    name: 'Deployed Twilio',
    type: 'twilio',
    url: null,
    effectiveUrl: 'https://api.twilio.com/2010-04-01/Accounts/AC1/Messages.json',
    accountId: 'AC1',
    username: null,
    from: '+15005550006',
    hasPassword: true,
    isDefault: true,
    proxy: null,
    linkedIdentityStoreIds: [],
    createdAt: now,
    updatedAt: now,
    version: 1,
  };
  const answers: Record<string, unknown> = {
    'GET /prod/admin/gateways': { items: [gateway] },
    'GET /prod/admin/identity-stores': { items: [] },
    'GET /prod/admin/gateway-types': {
      items: [
        {
          type: 'twilio',
          displayName: 'Twilio',
          url: 'https://api.twilio.com/2010-04-01/Accounts/{accountId}/Messages.json',
          fields: { ...GATEWAY_TYPE_INFO.twilio.fields },
          fieldDescriptions: {},
          channels: ['sms', 'voice'],
        },
      ],
    },
    'PATCH /prod/admin/gateways/gw_fake1': { ...gateway, name: 'Renamed', version: 2 },
    // A secret shown once: the proxy passes it to the page and nowhere else.
    'POST /prod/admin/identity-stores/is_fake1/webhooks': {
      id: 'wh_fake1',
      url: 'https://hooks.example.com/sms',
      eventTypes: [],
      secret: FAKE_WEBHOOK_SECRET,
      createdAt: now,
    },
  };
  const server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      const captured = { method: request.method!, url: request.url!, headers: request.headers, body };
      received.push(captured);
      const signed =
        typeof request.headers.authorization === 'string' &&
        request.headers.authorization.includes(`Credential=${TEST_CREDENTIALS.AWS_ACCESS_KEY_ID}/`) &&
        request.headers['x-amz-security-token'] === TEST_CREDENTIALS.AWS_SESSION_TOKEN &&
        request.headers.authorization ===
          independentAuthorization(captured, TEST_CREDENTIALS.AWS_SECRET_ACCESS_KEY, region);
      if (!signed) {
        response.writeHead(403, { 'content-type': 'application/json' }).end('{"message":"Forbidden"}');
        return;
      }
      const answer = answers[`${request.method} ${request.url!.split('?')[0]}`];
      if (answer === undefined) {
        response
          .writeHead(404, { 'content-type': 'application/problem+json' })
          .end('{"type":"https://sms-mfa.invalid/problems/not-found","title":"Not found","status":404}');
        return;
      }
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(answer));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/prod`,
    region,
    received,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
