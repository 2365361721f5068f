import { WebhookTable } from '../../adapters/dynamodb/webhook-table.ts';
import { failingWebhookTransport } from '../../adapters/faults/side-path-faults.ts';
import { WebhookDelivery } from '../../domain/webhooks/webhook-delivery.ts';
import type { Context, WebhookSending } from '../context.ts';
import { outbound } from './outbound.ts';

/**
 * Without a transport a webhook attempt gets no answer (and is retried by its caller); its headers go
 * nowhere, so they carry no signature.
 */
const unsent: WebhookSending = {
  transport: () => ({ post: async () => ({ status: undefined }) }),
  signer: { sign: () => '', verify: () => false },
};

/** One attempt of one event to one webhook, through the sending handed in (the delivery function's, or local mode's). */
export function webhookAttempts(ctx: Context, sending: WebhookSending = unsent): WebhookDelivery {
  const { config, parts } = ctx;
  return new WebhookDelivery({
    webhooks: new WebhookTable(ctx.sidePathDocuments(), config.tableName),
    transport: config.faults.has('webhook-dispatch')
      ? failingWebhookTransport
      : (parts.webhookTransport ?? sending.transport(outbound(ctx))),
    signer: sending.signer,
    clock: ctx.clock,
  });
}
