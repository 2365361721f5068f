import { GatewayTable } from '../../adapters/dynamodb/gateway-table.ts';
import { gatewayTypeCatalogue } from '../../domain/gateways/gateway-catalogue.ts';
import { GatewayReads } from '../../domain/gateways/gateway-reads.ts';
import { GatewayService } from '../../domain/gateways/gateway-service.ts';
import { secrets } from './secrets.ts';
import { feature, type Context } from '../context.ts';
import { audited } from './event-publishing.ts';
import { urlPolicy } from './url-policy.ts';

export function gatewayService(ctx: Context): GatewayService {
  const { config } = ctx;
  return new GatewayService({
    gateways: new GatewayTable(ctx.documents(), config.tableName),
    secrets: secrets(ctx),
    clock: ctx.clock,
    random: ctx.random,
    consoleGatewayAllowed: config.consoleGatewayAllowed,
    urlPolicy: urlPolicy(ctx),
  });
}

/** The gateway admin routes. */
export const gateways = /* @__PURE__ */ feature('gateways', (ctx) => audited(ctx, gatewayService(ctx)));

/** `GET /admin/gateway-types`: the catalogue and the deployment's console switch, none of the gateway admin. */
export const gatewayTypes = /* @__PURE__ */ feature('gateway types', (ctx) => ({
  list: () => gatewayTypeCatalogue(ctx.config.consoleGatewayAllowed),
}));

/** `GET /admin/gateways` and `GET .../{gatewayId}`: the gateway store alone (nothing is written or audited). */
export const gatewayReads = /* @__PURE__ */ feature(
  'gateway reads',
  (ctx) => new GatewayReads(new GatewayTable(ctx.documents(), ctx.config.tableName)),
);
