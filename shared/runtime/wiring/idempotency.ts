import { IdempotencyTable } from '../../adapters/dynamodb/idempotency-table.ts';
import { Idempotency } from '../../domain/idempotency.ts';
import { feature } from '../context.ts';

/** `Idempotency-Key` answers of the sending routes and the relay. */
export const idempotency = /* @__PURE__ */ feature(
  'idempotency',
  (ctx) => new Idempotency(new IdempotencyTable(ctx.documents(), ctx.config.tableName), ctx.clock),
);
