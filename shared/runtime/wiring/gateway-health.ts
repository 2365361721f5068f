import { GatewayHealthTable } from '../../adapters/dynamodb/gateway-health-table.ts';
import { GatewayHealthViews } from '../../adapters/dynamodb/gateway-health-views.ts';
import { InProcessGatewayHealth, type GatewayHealthPort } from '../../domain/gateways/gateway-breaker.ts';
import type { EventPort } from '../../ports/events.ts';
import type { GatewayHealth, GatewayHealthView } from '../../ports/gateway-health.ts';
import { context, feature, type Context } from '../context.ts';
import { eventLog } from './event-log.ts';

/** The slot of the health the sends record, so that the gateway routes can find it without bundling it. */
const GATEWAY_HEALTH = Symbol('gateway health');

/**
 * Each gateway's health (transport outcomes only): the sends record it and the gateway routes show it.
 * In-process locally; deployed shared through the table, written beside the sends (the side-path
 * client). Its events are emitted on first use of the event log.
 */
export const gatewayHealth = /* @__PURE__ */ feature(GATEWAY_HEALTH, (ctx): GatewayHealthPort => {
  switch (ctx.strategies.gatewayHealth) {
    case 'in-process':
      return inProcessHealth(ctx);
    case 'table':
      return new GatewayHealthTable(ctx.sidePathDocuments(), ctx.config.tableName, {
        events: healthEvents(ctx),
        telemetry: ctx.telemetry,
      });
  }
});

/** Local mode's one process: the sends and the gateway routes share this one. */
const inProcessHealth = /* @__PURE__ */ feature(
  'in-process gateway health',
  (ctx) => new InProcessGatewayHealth(healthEvents(ctx)),
);

const healthEvents = (ctx: Context): EventPort => ({ emit: (type, data) => eventLog(ctx).emit(type, data) });

/**
 * What the gateway routes read when nothing in their process records health (a deployed admin
 * function sends nothing): the table's views alone, without the recording side.
 */
const healthViews = /* @__PURE__ */ feature('gateway health views', (ctx): GatewayHealthView => {
  switch (ctx.strategies.gatewayHealth) {
    case 'in-process':
      return inProcessHealth(ctx);
    case 'table':
      return new GatewayHealthViews(ctx.sidePathDocuments(), ctx.config.tableName, ctx.telemetry);
  }
});

/**
 * The gateways' health as the gateway routes show it (`health` in the representation): never stale.
 * Where the sends of this process record health, theirs (it holds their outcomes not yet handed over).
 */
export function healthOf(gatewayIds: readonly string[]): Promise<Map<string, GatewayHealth>> {
  const ctx = context();
  const view = ctx.peek<GatewayHealthView>(GATEWAY_HEALTH) ?? healthViews(ctx);
  return view.health(gatewayIds, ctx.clock.now().getTime(), { wait: 'read' });
}
