import { createHash } from 'node:crypto';
import type * as UndiciDispatch from '../net/undici-dispatch.ts';
import type { Agent, Dispatcher, ProxyAgent } from '../net/undici-dispatch.ts';
import type { GatewayCredentials, GatewayRecord } from '../../domain/gateways/gateway.ts';
import { SendFailure, type SendOptions } from '../../ports/sms-sender.ts';
import { basicAuth, type ProviderRequest, type ProviderResponse } from './provider-api.ts';
import { OutboundRefused, type OutboundGuard } from '../net/outbound-guard.ts';

const MAX_RESPONSE_BYTES = 64 * 1024;

type Undici = typeof UndiciDispatch;
let undiciModule: Promise<Undici> | undefined;
/**
 * undici is loaded on the first send, not at cold start: the dynamic import is a chunk of its own
 * (cdk/constructs/function-bundle.ts) that Node reads, compiles and evaluates only then, about 20 ms a
 * cold start no longer pays (docs/performance.md, "Cold start"; the bench's first-request figure includes it).
 */
const loadUndici = (): Promise<Undici> => (undiciModule ??= import('../net/undici-dispatch.ts'));

/**
 * Outbound HTTPS to SMS providers through undici: one connection pool per proxy setting (the gateway's
 * proxy when it has one), a per-attempt timeout, and every transport failure turned into a SendFailure.
 */
export class ProviderHttp {
  /** Made on the first send (with undici itself). */
  private direct: Agent | undefined;
  private readonly proxies = new Map<string, ProxyAgent>();

  /**
   * Every connection goes through the outbound guard: host names are resolved by its lookup (each
   * answer judged, the judged address used), IP literals judged before connecting. With a proxy only
   * the proxy is connected to, so only the proxy is judged. undici follows no redirects by default.
   */
  constructor(
    private readonly timeoutMs: number,
    private readonly guard: OutboundGuard,
  ) {}

  private directAgent(undici: Undici): Agent {
    this.direct ??= undici.guardedAgent(this.guard, {
      timeoutMs: this.timeoutMs,
      keepAliveTimeoutMs: 30_000,
    });
    return this.direct;
  }

  async send(
    gateway: GatewayRecord,
    credentials: GatewayCredentials,
    options: SendOptions,
    outgoing: ProviderRequest,
  ): Promise<ProviderResponse> {
    const timeout = AbortSignal.timeout(this.timeoutMs);
    const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
    let written = false;
    let response: Dispatcher.ResponseData;
    try {
      const undici = await loadUndici();
      response = await undici.request(outgoing.url, {
        method: outgoing.method,
        headers: { 'user-agent': 'sms-mfa', ...outgoing.headers },
        body: outgoing.body,
        dispatcher: this.dispatcher(undici, gateway, credentials),
        // undici's request() never follows redirects: a 3xx is an answer like any other.
        signal,
      });
      written = true;
    } catch (error) {
      // Nothing reached the destination: the guard refused it before connecting.
      if (error instanceof OutboundRefused) throw new SendFailure('rejected', error.message, 'refused');
      throw transportFailure(error, signal.aborted, written);
    }
    let text = '';
    try {
      for await (const chunk of response.body) {
        text += (chunk as Buffer).toString('utf8');
        if (text.length > MAX_RESPONSE_BYTES) break;
      }
    } catch {
      throw new SendFailure('unavailable', signal.aborted ? 'no answer in time' : 'the answer was cut off');
    }
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    return { status: response.statusCode, text, json };
  }

  async close(): Promise<void> {
    const agents = [...(this.direct ? [this.direct] : []), ...this.proxies.values()];
    await Promise.all(agents.map((agent) => agent.close()));
  }

  private dispatcher(undici: Undici, gateway: GatewayRecord, credentials: GatewayCredentials): Dispatcher {
    const proxy = gateway.proxy;
    if (!proxy) return this.directAgent(undici);
    // A Windows-style proxy domain travels in the user name, as proxies that take Basic credentials expect.
    const user = proxy.username
      ? proxy.domain
        ? `${proxy.domain}\\${proxy.username}`
        : proxy.username
      : undefined;
    const token = user ? basicAuth(user, credentials.proxyPassword ?? '') : undefined;
    const key = createHash('sha256')
      .update(JSON.stringify([proxy.host, proxy.port, token ?? '']))
      .digest('hex');
    // Judged on every send (not only when the agent is made): the guard's rules outlive a cached agent.
    this.guard.assertConnectable(proxy.host);
    let agent = this.proxies.get(key);
    if (!agent) {
      const host = proxy.host.includes(':') && !proxy.host.startsWith('[') ? `[${proxy.host}]` : proxy.host;
      agent = new undici.ProxyAgent({
        uri: `http://${host}:${proxy.port}`,
        ...(token ? { token } : {}),
        proxyTls: { lookup: this.guard.lookup },
      });
      this.proxies.set(key, agent);
    }
    return agent;
  }
}

/** Errors that mean no connection was made, so the provider cannot have received the message. */
const NEVER_CONNECTED = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_CONNECT_TIMEOUT',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'CERT_HAS_EXPIRED',
]);

function transportFailure(error: unknown, aborted: boolean, written: boolean): SendFailure {
  const code = (error as { code?: string }).code ?? (error as Error).name;
  const causeCode = ((error as { cause?: { code?: string } }).cause ?? {}).code;
  if (!written && (NEVER_CONNECTED.has(code) || (causeCode && NEVER_CONNECTED.has(causeCode)))) {
    return new SendFailure('unreachable', `could not connect (${causeCode ?? code})`, 'refused');
  }
  if (aborted) return new SendFailure('unavailable', 'no answer in time');
  return new SendFailure('unavailable', `connection failed (${code})`);
}
