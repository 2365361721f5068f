import { InProcessGatewayHealth } from '../../domain/gateways/gateway-breaker.ts';
import type { GatewayHealth } from '../../ports/gateway-health.ts';
import { context, feature } from '../context.ts';
import { eventLog } from './event-log.ts';

/**
 * Each gateway's health (transport outcomes only), in-process: the sends record it and the gateway
 * routes show it. Its events are emitted on first use of the event log.
 */
export const gatewayHealth = /* @__PURE__ */ feature(
  'gateway health',
  (ctx) => new InProcessGatewayHealth({ emit: (type, data) => eventLog(ctx).emit(type, data) }),
);

/** The gateways' health as the gateway routes show it (`health` in the representation). */
export function healthOf(gatewayIds: readonly string[]): Promise<Map<string, GatewayHealth>> {
  const ctx = context();
  return gatewayHealth(ctx).health(gatewayIds, ctx.clock.now().getTime());
}
