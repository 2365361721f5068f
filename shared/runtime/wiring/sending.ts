import { providerSenders } from '../../adapters/sms/senders.ts';
import { feature } from '../context.ts';
import { deliveryWith } from './delivery.ts';
import { buildEventLog } from './event-publishing.ts';

/** Delivery in a function that sends: the provider adapters (and undici under them) come with this module. */
export const sendingDelivery = /* @__PURE__ */ feature('sending delivery', (ctx) => {
  // Gateway health emits its transitions to the context's log: in a function whose feature builds none
  // (the replacement notifier), they would go nowhere.
  buildEventLog(ctx);
  return deliveryWith(ctx, providerSenders);
});
