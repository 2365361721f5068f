/**
 * The parts of undici the provider adapters use (Agent, ProxyAgent, buildConnector and `request`),
 * imported from undici's own modules instead of its index. The index also loads fetch, WebSocket,
 * EventSource, the cache stores, the mock agents and every interceptor: about 220 KiB more for esbuild
 * to put into each sending function's bundle and for Node to compile at cold start (README,
 * "Cold start"). undici 7 has no `exports` map, so these paths are part of the installed package;
 * `test/cdk/bundles.test.ts` fails if the index comes back, and the provider tests run through this file.
 */
import type * as Undici from 'undici';
import AgentModule from 'undici/lib/dispatcher/agent.js';
import DispatcherModule from 'undici/lib/dispatcher/dispatcher.js';
import ProxyAgentModule from 'undici/lib/dispatcher/proxy-agent.js';
import buildConnectorModule from 'undici/lib/core/connect.js';
import api from 'undici/lib/api/index.js';
import util from 'undici/lib/core/util.js';
import type { OutboundGuard } from './outbound-guard.ts';

// What undici's index does once: every dispatcher gets request/stream/pipeline/upgrade/connect. The
// ProxyAgent opens its tunnel with `client.connect()`, so this is needed for more than `request`.
Object.assign(DispatcherModule.prototype, api);

export const Agent = AgentModule;
export type Agent = Undici.Agent;
export const ProxyAgent = ProxyAgentModule;
export type ProxyAgent = Undici.ProxyAgent;
export const buildConnector = buildConnectorModule;
export type { Dispatcher } from 'undici';

/**
 * A connection pool whose every connection goes through the outbound guard: host names resolved by its
 * lookup (each answer judged, the judged address used), IP literals judged before connecting.
 */
export function guardedAgent(
  guard: Pick<OutboundGuard, 'lookup' | 'assertConnectable'>,
  { timeoutMs, keepAliveTimeoutMs }: { timeoutMs: number; keepAliveTimeoutMs: number },
): Agent {
  const connector = buildConnector({ lookup: guard.lookup, timeout: timeoutMs });
  return new Agent({
    keepAliveTimeout: keepAliveTimeoutMs,
    connect: (options, callback) => {
      try {
        guard.assertConnectable(options.hostname);
      } catch (error) {
        callback(error as Error, null);
        return;
      }
      connector(options, callback);
    },
  });
}

type RequestOptions = { dispatcher: Undici.Dispatcher } & Omit<
  Undici.Dispatcher.RequestOptions,
  'origin' | 'path' | 'method'
> &
  Partial<Pick<Undici.Dispatcher.RequestOptions, 'method'>>;

/**
 * undici's top-level `request(url, options)` for the one form the adapters use: an absolute URL and an
 * explicit dispatcher (so the global dispatcher, and the index that holds it, is never needed).
 */
export function request(url: string, options: RequestOptions): Promise<Undici.Dispatcher.ResponseData> {
  const { dispatcher, ...rest } = options;
  const parsed = util.parseURL(url) as URL;
  return dispatcher.request({
    ...rest,
    origin: parsed.origin,
    path: parsed.search ? `${parsed.pathname}${parsed.search}` : parsed.pathname,
    method: rest.method ?? (rest.body ? 'PUT' : 'GET'),
  });
}
