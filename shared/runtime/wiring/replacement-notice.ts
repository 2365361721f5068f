import { ReplacementNotice } from '../../domain/sending/replacement-notice.ts';
import { feature } from '../context.ts';
import { cachedStores } from './config-reads.ts';
import { sendingDelivery } from './sending.ts';

/** The notifier function's work: the notice to a number an enrollment replaced. */
export const replacementNotice = /* @__PURE__ */ feature(
  'replacement notice',
  (ctx) => new ReplacementNotice(cachedStores(ctx), sendingDelivery(ctx), ctx.telemetry),
);
