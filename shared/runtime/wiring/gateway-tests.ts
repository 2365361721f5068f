import { GatewayTest } from '../../domain/gateways/gateway-test.ts';
import { feature } from '../context.ts';
import { gatewayService } from './gateways.ts';
import { sendingDelivery } from './sending.ts';

/** `POST /admin/gateways/{id}/test`: the one gateway route that sends, through the provider adapters. */
export const gatewayTests = /* @__PURE__ */ feature(
  'gateway tests',
  (ctx) => new GatewayTest({ gateways: gatewayService(ctx), delivery: sendingDelivery(ctx) }),
);
