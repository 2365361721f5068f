import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProviderHttp } from '../../../shared/adapters/sms/provider-http.ts';
import { HttpProviderSender } from '../../../shared/adapters/sms/http-provider-sender.ts';
import { httpApi } from '../../../shared/adapters/sms/providers/define-provider.ts';
import { twilio } from '../../../shared/adapters/sms/providers/twilio.ts';
import { startProxy, type TestProxy } from '../../support/connect-proxy.ts';
import { startFakeProvider, type FakeProvider } from '../../support/fake-provider.ts';
import { gatewayRecord } from '../../support/gateway-record.ts';
import { LOOPBACK_GUARD } from '../../support/outbound.ts';

let provider: FakeProvider;
let proxy: TestProxy;
const http = new ProviderHttp(2000, LOOPBACK_GUARD);
const sender = new HttpProviderSender(http, httpApi(twilio));

beforeAll(async () => {
  provider = await startFakeProvider();
  proxy = await startProxy('proxyuser', 'proxy-pass');
});
afterAll(async () => {
  await http.close();
  await provider.close();
  await proxy.close();
});

const gateway = (proxyPasswordSet = true) =>
  gatewayRecord({
    type: 'twilio',
    accountId: 'AC1',
    from: '+15005550006',
    url: `${provider.url}/2010-04-01/Accounts/{accountId}/Messages.json`,
    proxy: {
      host: '127.0.0.1',
      port: proxy.port,
      domain: null,
      username: 'proxyuser',
      description: 'test proxy',
      hasPassword: proxyPasswordSet,
    },
  });

describe("the gateway's proxy", () => {
  it('carries the provider traffic, authenticated with the proxy credentials', async () => {
    provider.reply({ status: 201, body: { sid: 'SMproxied' } });
    const before = provider.requests.length;
    const result = await sender.send(
      gateway(),
      { password: 'token', proxyPassword: 'proxy-pass' },
      { to: '+447400123456', body: 'x' },
    );
    expect(result.providerMessageId).toBe('SMproxied');
    expect(provider.requests.length).toBe(before + 1);
    const hostPort = new URL(provider.url).host;
    const used = proxy.seen.filter((s) => s.target.includes(hostPort));
    expect(used.length).toBeGreaterThan(0);
    expect(used.at(-1)?.authorization).toBe(
      `Basic ${Buffer.from('proxyuser:proxy-pass').toString('base64')}`,
    );
  });

  it('fails as unavailable, without reaching the provider, when the proxy refuses the credentials', async () => {
    const before = provider.requests.length;
    const error = await sender
      .send(gateway(), { password: 'token', proxyPassword: 'wrong' }, { to: '+447400123456', body: 'x' })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'unavailable' });
    expect(provider.requests.length).toBe(before);
  });
});
