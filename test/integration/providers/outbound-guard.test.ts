import type { LookupAddress } from 'node:dns';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpProviderSender } from '../../../shared/adapters/sms/http-provider-sender.ts';
import { httpApi } from '../../../shared/adapters/sms/providers/define-provider.ts';
import { customHttp } from '../../../shared/adapters/sms/providers/custom-http.ts';
import { ProviderHttp } from '../../../shared/adapters/sms/provider-http.ts';
import { SendFailure } from '../../../shared/ports/sms-sender.ts';
import { startProxy, type TestProxy } from '../../support/connect-proxy.ts';
import { startFakeProvider, type FakeProvider } from '../../support/fake-provider.ts';
import { gatewayRecord } from '../../support/gateway-record.ts';
import { guardResolving } from '../../support/outbound.ts';
import { sendFailure } from '../../support/provider-adapter.ts';

// Names that exist only in this resolver: reaching the fake provider through one of them proves that
// the connection used the address the guard judged, not a second lookup.
const answers: Record<string, LookupAddress[]> = {
  'provider.test': [{ address: '127.0.0.1', family: 4 }],
  'rebound.test': [
    { address: '127.0.0.1', family: 4 },
    { address: '10.0.0.8', family: 4 },
  ],
  'metadata.test': [{ address: '169.254.169.254', family: 4 }],
};
const guard = guardResolving(answers, { allowLoopback: true });
const http = new ProviderHttp(2000, guard);
const sender = new HttpProviderSender(http, httpApi(customHttp));
const sms = { to: '+447400123456', body: 'Your code is 123456' };

let provider: FakeProvider;
let elsewhere: FakeProvider;
let proxy: TestProxy;
beforeAll(async () => {
  [provider, elsewhere, proxy] = await Promise.all([
    startFakeProvider(),
    startFakeProvider(),
    startProxy('u', 'p'),
  ]);
});
afterAll(async () => {
  await Promise.all([provider.close(), elsewhere.close(), proxy.close(), http.close()]);
});

const port = (url: string) => new URL(url).port;
const sendTo = (url: string, extra = {}) =>
  sender.send(gatewayRecord({ type: 'custom-http', url, ...extra }), {}, sms).then(
    (result) => result,
    (error: unknown) => error,
  );

describe('provider connections through the outbound guard', () => {
  it('connects to the judged address of a host name', async () => {
    provider.reply({ status: 200, body: { id: 'm-1' } });
    expect(await sendTo(`http://provider.test:${port(provider.url)}/sms`)).toEqual({
      providerMessageId: 'm-1',
    });
    expect(provider.requests.at(-1)?.headers.host).toBe(`provider.test:${port(provider.url)}`);
  });

  it('refuses, as rejected and without connecting, a name with any answer in a refused range', async () => {
    const before = provider.requests.length;
    for (const host of ['rebound.test', 'metadata.test']) {
      const error = await sendTo(`http://${host}:${port(provider.url)}/sms`);
      expect(error, host).toBeInstanceOf(SendFailure);
      expect((error as SendFailure).kind).toBe('rejected');
      expect((error as SendFailure).message).toMatch(/private|linkLocal/);
    }
    expect(provider.requests.length).toBe(before);
  });

  it('refuses an IP literal in a refused range at connect time, whatever validation let through', async () => {
    const error = await sendTo('https://169.254.169.254/latest/meta-data');
    expect(error).toBeInstanceOf(SendFailure);
    expect((error as SendFailure).kind).toBe('rejected');
  });

  it('never follows a redirect', async () => {
    provider.reply({ status: 302, headers: { location: `${elsewhere.url}/sms` }, body: {} });
    const error = await sendTo(`${provider.url}/sms`);
    expect(error).toBeInstanceOf(SendFailure);
    expect(elsewhere.requests).toHaveLength(0);
  });

  it('judges the proxy host, not the destination behind it', async () => {
    const viaProxy = (host: string) => ({
      proxy: { host, port: proxy.port, username: 'u', domain: null, description: null, hasPassword: true },
    });
    provider.reply({ status: 200, body: { id: 'm-2' } });
    // The destination name is unknown to the resolver: only the proxy resolves it.
    const sent = await sender.send(
      gatewayRecord({
        type: 'custom-http',
        url: `http://127.0.0.1:${port(provider.url)}/sms`,
        ...viaProxy('provider.test'),
      }),
      { proxyPassword: 'p' },
      sms,
    );
    expect(sent).toEqual({ providerMessageId: 'm-2' });
    expect(proxy.seen.length).toBeGreaterThan(0);

    const refusedVia = (host: string) =>
      sendFailure(
        sender.send(
          gatewayRecord({ type: 'custom-http', url: `${provider.url}/sms`, ...viaProxy(host) }),
          { proxyPassword: 'p' },
          sms,
        ),
      );
    const refused = await refusedVia('10.0.0.8');
    expect(refused.kind).toBe('rejected');
    const viaRefusedName = await refusedVia('metadata.test');
    expect(viaRefusedName.kind).toBe('rejected');
    expect(viaRefusedName.message).toContain('linkLocal');
  });
});
