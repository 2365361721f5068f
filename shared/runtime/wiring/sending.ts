import { providerSenders } from '../../adapters/sms/senders.ts';
import { feature } from '../context.ts';
import { deliveryWith } from './delivery.ts';

/** Delivery in a function that sends: the provider adapters (and undici under them) come with this module. */
export const sendingDelivery = /* @__PURE__ */ feature('sending delivery', (ctx) =>
  deliveryWith(ctx, providerSenders),
);
