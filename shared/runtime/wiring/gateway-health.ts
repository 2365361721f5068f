import { GatewayHealthTable } from '../../adapters/dynamodb/gateway-health-table.ts';
import { InProcessGatewayHealth, type GatewayHealthPort } from '../../domain/gateways/gateway-breaker.ts';
import type { EventPort } from '../../ports/events.ts';
import type { GatewayHealth } from '../../ports/gateway-health.ts';
import { context, feature } from '../context.ts';
import { eventLog } from './event-log.ts';

/**
 * Each gateway's health (transport outcomes only): the sends record it and the gateway routes show it.
 * In-process locally; deployed shared through the table, written beside the sends (the side-path
 * client). Its events are emitted on first use of the event log.
 */
export const gatewayHealth = /* @__PURE__ */ feature('gateway health', (ctx): GatewayHealthPort => {
  const events: EventPort = { emit: (type, data) => eventLog(ctx).emit(type, data) };
  switch (ctx.strategies.gatewayHealth) {
    case 'in-process':
      return new InProcessGatewayHealth(events);
    case 'table':
      return new GatewayHealthTable(ctx.sidePathDocuments(), ctx.config.tableName, {
        events,
        telemetry: ctx.telemetry,
      });
  }
});

/** The gateways' health as the gateway routes show it (`health` in the representation): never stale. */
export function healthOf(gatewayIds: readonly string[]): Promise<Map<string, GatewayHealth>> {
  const ctx = context();
  return gatewayHealth(ctx).health(gatewayIds, ctx.clock.now().getTime(), { wait: 'read' });
}
