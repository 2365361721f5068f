import { SendHistoryTable } from '../../adapters/dynamodb/send-history-table.ts';
import { addressedReceiptKinds, receiptKinds } from '../../adapters/sms/providers/index.ts';
import { ReceiveReceipt } from '../../domain/deliveries/receive-receipt.ts';
import { feature } from '../context.ts';
import { gatewayDirectory } from './config-reads.ts';
import { events } from './events.ts';
import { failover } from './failover.ts';
import { usage } from './usage.ts';

/** Delivery receipts: the provider modules' receipt checks come only with this module (the receipt function). */
export const receipts = /* @__PURE__ */ feature(
  'receipts',
  (ctx) =>
    new ReceiveReceipt({
      directory: gatewayDirectory(ctx),
      history: new SendHistoryTable(ctx.documents(), ctx.config.tableName, () => ctx.clock.now().getTime()),
      kinds: receiptKinds(),
      addressedKinds: addressedReceiptKinds(),
      addresses: failover(ctx).receiptAddresses,
      onFinal: failover(ctx).onFinal,
      events: events(ctx).log,
      telemetry: ctx.telemetry,
      clock: ctx.clock,
      ...(usage(ctx).receipts ? { recorded: usage(ctx).receipts } : {}),
    }),
);
