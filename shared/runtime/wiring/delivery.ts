import type { SmsDelivery } from '../../domain/sending/sms-delivery.ts';
import { feature, type Context, type ProviderSenders } from '../context.ts';
import { deliveryThrough } from './delivery-core.ts';
import { failover } from './failover.ts';

/**
 * Delivery through the console gateway and the providers handed in, with failover's per-attempt extras
 * (receipt addresses, gateway health): a function that sends passes `adapters/sms/senders.ts`
 * (wiring/sending.ts); every other one has the console only. Local mode hands the providers in once.
 */
export function deliveryWith(ctx: Context, providers: ProviderSenders | undefined): SmsDelivery {
  return deliveryThrough(ctx, providers, failover(ctx).delivery);
}

/** Delivery in a function that does not send: the console gateway, or local mode's providers. */
export const consoleDelivery = /* @__PURE__ */ feature('console delivery', (ctx) =>
  deliveryWith(ctx, undefined),
);
