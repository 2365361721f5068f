import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROVIDERS, providerModules } from '../../../shared/adapters/sms/providers/index.ts';
import { providerSenders } from '../../../shared/adapters/sms/senders.ts';
import type { GatewayCredentials, GatewayRecord } from '../../../shared/domain/gateways/gateway.ts';
import { GATEWAY_TYPE_INFO, type GatewayType } from '../../../shared/domain/gateways/gateway-types.ts';
import { renderSpoken, DEFAULT_VOICE_TEMPLATE } from '../../../shared/domain/voice/spoken-text.ts';
import type { SmsSender } from '../../../shared/ports/sms-sender.ts';
import { startFakeProvider, type FakeProvider, type RecordedRequest } from '../../support/fake-provider.ts';
import { gatewayRecord } from '../../support/gateway-record.ts';
import { LOOPBACK_GUARD } from '../../support/outbound.ts';
import { sendFailure } from '../../support/provider-adapter.ts';

/**
 * api.md "Voice calls": a call through each voice-capable provider is exactly the request its provider
 * documents (method, path, authentication, body), sent to the gateway's URL override's scheme, host and
 * port plus the provider's call path; SMS-only providers refuse a call without a request.
 */
const TO = '+447700900123';
const CODE = '482910';
const SPOKEN = renderSpoken(DEFAULT_VOICE_TEMPLATE, CODE);
const CALL = { to: TO, body: SPOKEN, channel: 'voice' as const };
const SECRET = 'pw-Secret-9';
const basic = (user: string) => `Basic ${Buffer.from(`${user}:${SECRET}`).toString('base64')}`;

interface VoiceCase {
  /** The gateway's settings; the URL override is the fake's address followed by the SMS path. */
  account: Partial<GatewayRecord> & { smsPath: string };
  credentials: GatewayCredentials;
  reply: { status: number; body: unknown };
  callId: string;
  /** The documented call request. */
  path: string;
  authorization: string;
  body: (request: RecordedRequest) => unknown;
  expected: unknown;
}

const json = (request: RecordedRequest) => JSON.parse(request.body) as unknown;
const form = (request: RecordedRequest) => Object.fromEntries(new URLSearchParams(request.body));

const VOICE: Record<'twilio' | 'sinch' | 'infobip' | 'messagebird' | 'custom-http', VoiceCase> = {
  twilio: {
    account: {
      accountId: 'AC123',
      from: '+15005550006',
      smsPath: '/2010-04-01/Accounts/AC123/Messages.json',
    },
    credentials: { password: SECRET },
    reply: { status: 201, body: { sid: 'CA42' } },
    callId: 'CA42',
    path: '/2010-04-01/Accounts/AC123/Calls.json',
    authorization: basic('AC123'),
    body: form,
    expected: {
      To: TO,
      From: '+15005550006',
      Twiml: `<Response><Say>${SPOKEN}</Say></Response>`,
      TimeLimit: '60',
    },
  },
  sinch: {
    account: {
      accountId: 'plan-1',
      username: 'app-key',
      from: '+46700000000',
      smsPath: '/xms/v1/plan-1/batches',
    },
    credentials: { password: SECRET },
    reply: { status: 200, body: { callId: 'call-7' } },
    callId: 'call-7',
    path: '/calling/v1/callouts',
    authorization: basic('app-key'),
    body: json,
    expected: {
      method: 'ttsCallout',
      ttsCallout: {
        cli: '+46700000000',
        destination: { type: 'number', endpoint: TO },
        locale: 'en-US',
        text: SPOKEN,
      },
    },
  },
  infobip: {
    account: { from: '41793026700', smsPath: '/sms/2/text/advanced' },
    credentials: { password: SECRET },
    reply: {
      status: 200,
      body: {
        bulkId: 'b-1',
        messages: [{ to: TO.slice(1), status: { groupId: 1, groupName: 'PENDING' }, messageId: 'ib-9' }],
      },
    },
    callId: 'ib-9',
    path: '/tts/3/advanced',
    authorization: `App ${SECRET}`,
    body: json,
    expected: {
      messages: [{ destinations: [{ to: TO.slice(1) }], from: '41793026700', text: SPOKEN, language: 'en' }],
    },
  },
  messagebird: {
    account: { from: 'Acme', smsPath: '/messages' },
    credentials: { password: SECRET },
    reply: { status: 201, body: { id: 'vm-3' } },
    callId: 'vm-3',
    path: '/voicemessages',
    authorization: `AccessKey ${SECRET}`,
    body: json,
    expected: {
      recipients: [TO.slice(1)],
      body: SPOKEN,
      language: 'en-gb',
      voice: 'female',
      originator: 'Acme',
    },
  },
  'custom-http': {
    account: {
      authScheme: 'bearer',
      smsPath: '/notify',
      bodyTemplate: '{"to":"{to}","text":"{message}","kind":"{channel}"}',
    },
    credentials: { password: SECRET },
    reply: { status: 200, body: { id: 'c-1' } },
    callId: 'c-1',
    path: '/notify',
    authorization: `Bearer ${SECRET}`,
    body: json,
    expected: { to: TO, text: SPOKEN, kind: 'voice' },
  },
};

const noOutbox: SmsSender = { send: () => Promise.reject(new Error('not part of this contract')) };
const senders = providerSenders({ timeoutMs: 2000, console: noOutbox, outbound: LOOPBACK_GUARD });
let fake: FakeProvider;

beforeAll(async () => {
  fake = await startFakeProvider();
});
afterAll(async () => {
  await fake?.close();
});

describe('the catalogue', () => {
  it('offers voice exactly where a provider module can call', () => {
    for (const provider of providerModules()) {
      const callable = provider.voice !== undefined || provider.transport.kind === 'outbox';
      expect(GATEWAY_TYPE_INFO[provider.type].channels, provider.type).toEqual(
        callable ? ['sms', 'voice'] : ['sms'],
      );
    }
    expect(Object.keys(VOICE).sort()).toEqual(
      providerModules()
        .filter((provider) => provider.voice)
        .map((provider) => provider.type)
        .sort(),
    );
  });
});

describe.each(Object.entries(VOICE))('a call through %s', (type, contract) => {
  const { smsPath, ...settings } = contract.account;
  const gateway = () =>
    gatewayRecord({ ...settings, type: type as GatewayType, url: `${fake.url}${smsPath}` });

  it('is the provider’s documented request, at its call path, and answers the call id', async () => {
    fake.reply(contract.reply);
    const before = fake.requests.length;
    await expect(
      senders.forType(type as GatewayType)!.send(gateway(), contract.credentials, CALL),
    ).resolves.toEqual({
      providerMessageId: contract.callId,
    });
    expect(fake.requests).toHaveLength(before + 1);
    const request = fake.requests.at(-1)!;
    expect(request.method).toBe('POST');
    expect(new URL(request.url, 'http://x').pathname).toBe(contract.path);
    expect(request.headers.authorization).toBe(contract.authorization);
    expect(contract.body(request)).toEqual(contract.expected);
  });

  it('speaks the code digit by digit and never as one number', () => {
    expect(SPOKEN).toContain('4, 8, 2, 9, 1, 0');
    expect(SPOKEN).not.toContain(CODE);
  });
});

describe('an SMS-only provider asked to call', () => {
  it.each(['vonage', 'plivo', 'aws-sns'] as const)('%s refuses without any request', async (type) => {
    const before = fake.requests.length;
    const failure = await sendFailure(
      senders
        .forType(type)!
        .send(gatewayRecord({ type, url: `${fake.url}/sms`, from: 'Acme' }), { password: SECRET }, CALL),
    );
    expect(failure.outcome).toBe('refused');
    expect(fake.requests).toHaveLength(before);
    expect(PROVIDERS[type].voice).toBeUndefined();
  });
});

describe('Twilio call instructions', () => {
  it('escape what XML gives meaning to, so a template cannot inject TwiML', async () => {
    fake.reply(VOICE.twilio.reply);
    const { smsPath, ...settings } = VOICE.twilio.account;
    const body = 'Code <Play>x</Play> & "more"';
    await senders.forType('twilio')!.send(
      gatewayRecord({ ...settings, type: 'twilio', url: `${fake.url}${smsPath}` }),
      { password: SECRET },
      {
        ...CALL,
        body,
      },
    );
    expect(form(fake.requests.at(-1)!).Twiml).toBe(
      '<Response><Say>Code &lt;Play&gt;x&lt;/Play&gt; &amp; &quot;more&quot;</Say></Response>',
    );
  });
});
