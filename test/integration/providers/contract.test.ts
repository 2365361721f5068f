import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROVIDERS, providerModules } from '../../../shared/adapters/sms/providers/index.ts';
import { providerSenders } from '../../../shared/adapters/sms/senders.ts';
import type { GatewayCredentials, GatewayRecord } from '../../../shared/domain/gateways/gateway.ts';
import type { GatewayType } from '../../../shared/domain/gateways/gateway-types.ts';
import type { SendFailureKind, SmsSender } from '../../../shared/ports/sms-sender.ts';
import {
  startFakeProvider,
  type FakeProvider,
  type FakeReply,
  type RecordedRequest,
} from '../../support/fake-provider.ts';
import { gatewayRecord } from '../../support/gateway-record.ts';
import { LOOPBACK_GUARD } from '../../support/outbound.ts';
import { sendFailure } from '../../support/provider-adapter.ts';
import { SmsDelivery } from '../../../shared/domain/sending/sms-delivery.ts';
import { noTelemetry } from '../../../shared/ports/telemetry.ts';
import { independentAuthorization } from '../../support/sigv4-check.ts';

/**
 * One contract for every provider of the registry, each against a fake of its API on 127.0.0.1, through
 * the senders exactly as the functions that send build them (`providerSenders`, failures sanitized).
 * Adding a provider is its module plus its row here: the table is typed by the registry's gateway types.
 */
type ProviderType = Exclude<GatewayType, 'console'>;

interface ContractCase {
  /** The gateway's settings; its URL is the fake's address followed by `path`. */
  account: Partial<GatewayRecord> & { path?: string };
  credentials: GatewayCredentials;
  /** The provider's documented answer to an accepted message, and the message id in it. */
  accepted: { reply: FakeReply; messageId: string };
  /** The provider's documented refusal of the number, echoing what it was sent (number, text, secret). */
  refusedNumber: { reply: FakeReply; kind: SendFailureKind };
  /** The request carries the account's credentials as the provider's reference documents them. */
  authenticated: (request: RecordedRequest) => boolean;
  /** The sender as the request carries it, read from the provider's own field for it. */
  sender: (request: RecordedRequest) => string | undefined;
}

const form = (request: RecordedRequest) => new URLSearchParams(request.body);
const body = (request: RecordedRequest) => JSON.parse(request.body) as Record<string, unknown>;
/** SNS Query API: `MessageAttributes.entry.N.Name` beside its `.Value.StringValue`. */
function snsAttribute(request: RecordedRequest, name: string): string | undefined {
  const params = form(request);
  for (const [key, value] of params) {
    const entry = /^MessageAttributes\.entry\.(\d+)\.Name$/.exec(key);
    if (entry && value === name)
      return params.get(`MessageAttributes.entry.${entry[1]}.Value.StringValue`) ?? undefined;
  }
  return undefined;
}

const TO = '+447700900123';
const CODE = '482910';
const SMS = { to: TO, body: `Your code is ${CODE}` };
const SECRET = 'pw-Secret-9';
/** A provider's error text that quotes the request: the number, the message and the credential. */
const echo = `${TO} cannot receive "Your code is ${CODE}" (token ${SECRET})`;
/** SNS signs with the function's role: no credential of the gateway travels, so none can come back. */
const snsEcho = `${TO} cannot receive "Your code is ${CODE}"`;
const basic = (user: string) => `Basic ${Buffer.from(`${user}:${SECRET}`).toString('base64')}`;
const json = (status: number, body: unknown): FakeReply => ({ status, body });
const xml = (status: number, body: string): FakeReply => ({
  status,
  body,
  headers: { 'content-type': 'text/xml' },
});
const SNS_NS = 'http://sns.amazonaws.com/doc/2010-03-31/';

const CASES: { [T in ProviderType]: ContractCase } = {
  'aws-sns': {
    account: { from: '+447700900001' },
    sender: (request) =>
      snsAttribute(request, 'AWS.SNS.SMS.SenderID') ?? snsAttribute(request, 'AWS.MM.SMS.OriginationNumber'),
    credentials: {},
    accepted: {
      reply: xml(
        200,
        `<PublishResponse xmlns="${SNS_NS}"><PublishResult><MessageId>567910cd-659e-55d4-8ccb-5aaf14679dc0</MessageId></PublishResult><ResponseMetadata><RequestId>d74b8436-ae13-5ab4-a9ff-ce54dfea72a0</RequestId></ResponseMetadata></PublishResponse>`,
      ),
      messageId: '567910cd-659e-55d4-8ccb-5aaf14679dc0',
    },
    refusedNumber: {
      reply: xml(
        400,
        `<ErrorResponse xmlns="${SNS_NS}"><Error><Type>Sender</Type><Code>InvalidParameter</Code><Message>Invalid parameter: PhoneNumber Reason: ${snsEcho}</Message></Error><RequestId>r1</RequestId></ErrorResponse>`,
      ),
      kind: 'invalid-number',
    },
    // SigV4 with the function's credentials (vitest.config.ts sets them), checked independently.
    authenticated: (request) =>
      String(request.headers.authorization).startsWith(
        `AWS4-HMAC-SHA256 Credential=${process.env.AWS_ACCESS_KEY_ID}/`,
      ) &&
      request.headers.authorization ===
        independentAuthorization(request, process.env.AWS_SECRET_ACCESS_KEY!, process.env.AWS_REGION!, 'sns'),
  },
  twilio: {
    account: {
      accountId: 'AC0123456789abcdef0123456789abcdef',
      from: '+447700900001',
      path: '/2010-04-01/Accounts/{accountId}/Messages.json',
    },
    credentials: { password: SECRET },
    accepted: {
      reply: json(201, { sid: 'SM1234567890abcdef', status: 'queued' }),
      messageId: 'SM1234567890abcdef',
    },
    refusedNumber: {
      reply: json(400, { code: 21211, message: `Invalid 'To' Phone Number: ${echo}`, status: 400 }),
      kind: 'invalid-number',
    },
    authenticated: (request) => request.headers.authorization === basic('AC0123456789abcdef0123456789abcdef'),
    sender: (request) => form(request).get('From') ?? undefined,
  },
  vonage: {
    account: { username: 'api-key-1', from: 'ACME', path: '/sms/json' },
    credentials: { password: SECRET },
    accepted: {
      reply: json(200, {
        'message-count': '1',
        messages: [{ status: '0', 'message-id': '0A0000000123ABCD1' }],
      }),
      messageId: '0A0000000123ABCD1',
    },
    // Vonage refuses inside a 200: status 6 "Invalid Message" (an unrecognized number prefix).
    refusedNumber: {
      reply: json(200, { 'message-count': '1', messages: [{ status: '6', 'error-text': echo }] }),
      kind: 'invalid-number',
    },
    authenticated: (request) => {
      const form = new URLSearchParams(request.body);
      return form.get('api_key') === 'api-key-1' && form.get('api_secret') === SECRET;
    },
    sender: (request) => form(request).get('from') ?? undefined,
  },
  plivo: {
    account: {
      accountId: 'MAXXXXXXXXXXXXXXXXXX',
      from: '+447700900001',
      path: '/v1/Account/{accountId}/Message/',
    },
    credentials: { password: SECRET },
    accepted: {
      reply: json(202, { api_id: 'a1', message: 'message(s) queued', message_uuid: ['db3ce55a-7f1d-11e1'] }),
      messageId: 'db3ce55a-7f1d-11e1',
    },
    refusedNumber: {
      reply: json(400, { api_id: 'a2', error: `${TO} is not a valid phone number: ${echo}` }),
      kind: 'invalid-number',
    },
    authenticated: (request) => request.headers.authorization === basic('MAXXXXXXXXXXXXXXXXXX'),
    sender: (request) => body(request).src as string | undefined,
  },
  sinch: {
    account: { accountId: 'plan-1', from: '+447700900001', path: '/xms/v1/{accountId}/batches' },
    credentials: { password: SECRET },
    accepted: {
      reply: json(201, { id: '01FC66621XXXXX119Z8PMV1QPQ' }),
      messageId: '01FC66621XXXXX119Z8PMV1QPQ',
    },
    refusedNumber: {
      reply: json(400, { code: 'syntax_invalid_parameter_format', text: `Invalid MSISDN: ${echo}` }),
      kind: 'invalid-number',
    },
    authenticated: (request) => request.headers.authorization === `Bearer ${SECRET}`,
    sender: (request) => body(request).from as string | undefined,
  },
  infobip: {
    account: { from: 'ACME', path: '/sms/2/text/advanced' },
    credentials: { password: SECRET },
    accepted: {
      reply: json(200, {
        bulkId: 'b1',
        messages: [
          {
            messageId: '2250be2d4219-3af1',
            to: '447700900123',
            status: { groupId: 1, groupName: 'PENDING' },
          },
        ],
      }),
      messageId: '2250be2d4219-3af1',
    },
    refusedNumber: {
      reply: json(400, { requestError: { serviceException: { messageId: 'BAD_REQUEST', text: echo } } }),
      kind: 'rejected',
    },
    authenticated: (request) => request.headers.authorization === `App ${SECRET}`,
    sender: (request) => (body(request).messages as Array<{ from?: string }>)[0]?.from,
  },
  messagebird: {
    account: { from: 'ACME', path: '/messages' },
    credentials: { password: SECRET },
    accepted: {
      reply: json(201, { id: 'e8077d803532c0b5937c639b60216938' }),
      messageId: 'e8077d803532c0b5937c639b60216938',
    },
    refusedNumber: {
      reply: json(422, {
        errors: [{ code: 9, description: `no (correct) recipients found: ${echo}`, parameter: 'recipient' }],
      }),
      kind: 'invalid-number',
    },
    authenticated: (request) => request.headers.authorization === `AccessKey ${SECRET}`,
    sender: (request) => body(request).originator as string | undefined,
  },
  'custom-http': {
    account: {
      authScheme: 'bearer',
      from: 'ACME',
      bodyTemplate: '{"to":"{to}","message":"{message}","sender":"{from}"}',
      path: '/sms/send',
    },
    credentials: { password: SECRET },
    accepted: { reply: json(200, { id: 'msg-1' }), messageId: 'msg-1' },
    // The user's own gateway has no number vocabulary: its 4xx is a plain refusal.
    refusedNumber: { reply: json(400, { error: echo }), kind: 'rejected' },
    authenticated: (request) => request.headers.authorization === `Bearer ${SECRET}`,
    sender: (request) => body(request).sender as string | undefined,
  },
};

/** The attempt timeout of these senders; the fake answers later than this for the timeout case. */
const TIMEOUT_MS = 500;
const noOutbox: SmsSender = {
  send: () => Promise.reject(new Error('the console gateway is not part of the provider contract')),
};

let fake: FakeProvider;
const senders = providerSenders({ timeoutMs: TIMEOUT_MS, console: noOutbox, outbound: LOOPBACK_GUARD });

beforeAll(async () => {
  fake = await startFakeProvider();
});
afterAll(async () => {
  await fake?.close();
});

/** Where each provider with per-message receipt addresses documents its receipt URL in the send request. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- reads the providers' JSON bodies
const RECEIPT_FIELDS: Partial<Record<ProviderType, (body: any) => string | undefined>> = {
  sinch: (body) => (body.delivery_report === 'per_recipient' ? body.callback_url : undefined),
  infobip: (body) => body.messages[0].notifyUrl,
  messagebird: (body) => body.reportUrl,
};

describe('the provider registry', () => {
  it('has a contract row for every provider that sends, and a provider for every row', () => {
    const sending = providerModules()
      .filter((provider) => provider.transport.kind !== 'outbox')
      .map((provider) => provider.type)
      .sort();
    expect(Object.keys(CASES).sort()).toEqual(sending);
    expect(sending).toHaveLength(8);
  });
});

describe.each(Object.entries(CASES) as [ProviderType, ContractCase][])(
  '%s against its fake API',
  (type, contract) => {
    const { path = '', ...settings } = contract.account;
    const gateway = () => gatewayRecord({ ...settings, type, url: `${fake.url}${path}` });
    const sender = () => senders.forType(type)!;
    const send = () => sender().send(gateway(), contract.credentials, SMS);
    const lastRequest = () => fake.requests.at(-1)!;

    it('is the registry’s module for its type', () => {
      expect(PROVIDERS[type].type).toBe(type);
      expect(PROVIDERS[type].info.type).toBe(type);
    });

    it('returns the provider’s message id for an accepted message, the request authenticated', async () => {
      fake.reply(contract.accepted.reply);
      const before = fake.requests.length;
      await expect(send()).resolves.toEqual({ providerMessageId: contract.accepted.messageId });
      expect(fake.requests).toHaveLength(before + 1);
      expect(lastRequest().method).toBe('POST');
      expect(contract.authenticated(lastRequest())).toBe(true);
    });

    it('answers a refused number with a refusal whose reason carries neither the number, the code nor the secret', async () => {
      fake.reply(contract.refusedNumber.reply);
      const failure = await sendFailure(send());
      expect(failure.kind).toBe(contract.refusedNumber.kind);
      expect(failure.outcome).toBe('refused');
      expect(failure.reason.length).toBeGreaterThan(0);
      for (const value of [TO, TO.slice(1), CODE, SECRET]) expect(failure.reason).not.toContain(value);
      if (failure.providerCode)
        for (const value of [TO.slice(1), CODE, SECRET]) expect(failure.providerCode).not.toContain(value);
    });

    it('carries the country’s sender in its own sender field, and `from` for other countries', async () => {
      // Through the domain's delivery, which picks the sender per country, to the adapter as deployed.
      const withSenders = { ...gateway(), senderIds: { DE: 'Contoso', FR: '38000' } };
      const directory = {
        connection: async () => ({ gateway: withSenders, credentials: contract.credentials }),
        gateway: async () => withSenders,
      };
      const delivery = new SmsDelivery(directory, senders, noTelemetry, TIMEOUT_MS);
      const sentBy = async (to: string) => {
        fake.reply(contract.accepted.reply);
        await delivery.sendThrough(withSenders.id, { to, body: SMS.body });
        return contract.sender(lastRequest());
      };
      const plain = (sender: string | undefined) => sender?.replace(/^\+/, '');
      expect(await sentBy('+4915123456789')).toBe('Contoso');
      expect(plain(await sentBy(TO))).toBe(plain(settings.from!));
      // A short code is a sender too (SNS takes it as an origination number only from 5 digits).
      if (type !== 'aws-sns') expect(await sentBy('+33612345678')).toBe('38000');
    });

    it('hands the message’s receipt address over in the provider’s documented field, when it has one', async () => {
      const callbackUrl = `https://mfa.example.com/callbacks/gw_1/snd_1?t=${'x'.repeat(43)}`;
      fake.reply(contract.accepted.reply);
      await sender().send(gateway(), contract.credentials, { ...SMS, callbackUrl });
      const body = lastRequest().body;
      const field = RECEIPT_FIELDS[type];
      if (!field) {
        // Receipts of these types are signed; addressed receipt kinds are exactly the three below.
        expect(PROVIDERS[type].addressedReceipts).toBeUndefined();
        return;
      }
      expect(PROVIDERS[type].addressedReceipts).toBeDefined();
      expect(field(JSON.parse(body))).toBe(callbackUrl);
      // And none without an address.
      fake.reply(contract.accepted.reply);
      await send();
      expect(field(JSON.parse(lastRequest().body))).toBeUndefined();
    });

    it('turns a 5xx into a transport failure whose outcome is unknown', async () => {
      fake.reply(
        type === 'aws-sns'
          ? xml(
              500,
              `<ErrorResponse xmlns="${SNS_NS}"><Error><Type>Receiver</Type><Code>InternalError</Code><Message>internal error</Message></Error><RequestId>r2</RequestId></ErrorResponse>`,
            )
          : json(503, { error: 'service unavailable' }),
      );
      const failure = await sendFailure(send());
      expect(failure.kind).toBe('unavailable');
      expect(failure.outcome).toBe('unknown');
    });

    it('turns no answer within the attempt timeout into a transport failure whose outcome is unknown', async () => {
      fake.reply({ ...contract.accepted.reply, delayMs: TIMEOUT_MS * 4 });
      const started = performance.now();
      const failure = await sendFailure(send());
      expect(failure.kind).toBe('unavailable');
      expect(failure.outcome).toBe('unknown');
      // Bounded by the timeout, not by the fake's late answer.
      expect(performance.now() - started).toBeLessThan(TIMEOUT_MS * 3);
    });
  },
);
