import { afterAll, beforeAll, expect } from 'vitest';
import { ProviderHttp } from '../../shared/adapters/sms/provider-http.ts';
import { SendFailure, type SmsSender } from '../../shared/ports/sms-sender.ts';
import type { GatewayRecord } from '../../shared/domain/gateways/gateway.ts';
import { gatewayRecord } from './gateway-record.ts';
import { startFakeProvider, type FakeProvider, type RecordedRequest } from './fake-provider.ts';
import { LOOPBACK_GUARD } from './outbound.ts';

/**
 * One provider adapter against a fake provider on 127.0.0.1, started before the file's tests and closed
 * after them with the adapter's connection pools. `provider` stands for the started fake.
 */
export function adapterAgainstFakeProvider<S extends SmsSender>(
  makeSender: (http: ProviderHttp) => S,
  account: Partial<GatewayRecord> & { path?: string } = {},
): {
  provider: FakeProvider;
  sender: S;
  /** The gateway of `account`, its URL the fake's address followed by `account.path`. */
  gateway: (overrides?: Partial<GatewayRecord>) => GatewayRecord;
  /** The last request the fake received, checked against what the provider's reference documents. */
  lastRequest: (documented: DocumentedRequest) => RecordedRequest;
} {
  const http = new ProviderHttp(2000, LOOPBACK_GUARD);
  let started: FakeProvider | undefined;
  const fake = (): FakeProvider => {
    if (!started) throw new Error('the fake provider starts in beforeAll');
    return started;
  };
  beforeAll(async () => {
    started = await startFakeProvider();
  });
  afterAll(async () => {
    await started?.close();
    await http.close();
  });
  const provider: FakeProvider = {
    get url() {
      return fake().url;
    },
    get requests() {
      return fake().requests;
    },
    abandoned: () => fake().abandoned(),
    reply: (...replies) => fake().reply(...replies),
    close: () => fake().close(),
  };
  const lastRequest = (documented: DocumentedRequest) =>
    expectDocumentedRequest(provider.requests.at(-1), documented);
  const { path = '', ...settings } = account;
  const gateway = (overrides: Partial<GatewayRecord> = {}) =>
    gatewayRecord({ ...settings, url: `${provider.url}${path}`, ...overrides });
  return { provider, sender: makeSender(http), lastRequest, gateway };
}

/** The SendFailure a send ends with; the test fails when it succeeds or throws anything else. */
export async function sendFailure(send: Promise<unknown>): Promise<SendFailure> {
  const error = await send.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(SendFailure);
  return error as SendFailure;
}

/**
 * A send that fails as `kind`, its reason carrying `reason` (the provider's own words) but neither the
 * number nor the code the request held.
 */
export async function expectCleanFailure(
  send: Promise<unknown>,
  kind: SendFailure['kind'],
  reason: string,
  secrets: readonly string[] = ['447700900123', '123456'],
): Promise<SendFailure> {
  const error = await sendFailure(send);
  expect(error.kind).toBe(kind);
  expect(error.reason).toContain(reason);
  for (const secret of secrets) expect(error.reason).not.toContain(secret);
  return error;
}

interface DocumentedRequest {
  method?: string;
  url: string;
  headers: Record<string, string | undefined>;
}

function expectDocumentedRequest(
  request: RecordedRequest | undefined,
  documented: DocumentedRequest,
): RecordedRequest {
  expect(request).toBeDefined();
  expect(request!.method).toBe(documented.method ?? 'POST');
  expect(request!.url).toBe(documented.url);
  for (const [name, value] of Object.entries(documented.headers)) expect(request!.headers[name]).toBe(value);
  return request!;
}
