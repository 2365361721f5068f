import { IdentityStoreTable } from '../../adapters/dynamodb/identity-store-table.ts';
import { WebhookTable } from '../../adapters/dynamodb/webhook-table.ts';
import { WebhookService } from '../../domain/webhooks/webhook-service.ts';
import { audited } from './event-publishing.ts';
import { feature } from '../context.ts';
import { urlPolicy } from './url-policy.ts';

/** The webhook admin routes. */
export const webhooks = /* @__PURE__ */ feature('webhooks', (ctx) => {
  const { config } = ctx;
  return audited(
    ctx,
    new WebhookService({
      webhooks: new WebhookTable(ctx.documents(), config.tableName),
      stores: new IdentityStoreTable(ctx.documents(), config.tableName),
      clock: ctx.clock,
      random: ctx.random,
      urlPolicy: urlPolicy(ctx),
    }),
  );
});
