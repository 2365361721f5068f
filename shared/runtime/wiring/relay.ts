import { SendCounterTable } from '../../adapters/dynamodb/send-counter-table.ts';
import { RelayCode } from '../../domain/relay/relay-code.ts';
import { feature } from '../context.ts';
import { cachedStores, pepper } from './config-reads.ts';
import { events } from './events.ts';
import { routing } from './routing.ts';
import { idempotency } from './idempotency.ts';
import { sendingDelivery } from './sending.ts';

/** Codes an identity provider made, sent for it: the hooks and the Cognito sender. */
export const relay = /* @__PURE__ */ feature(
  'relay',
  (ctx) =>
    new RelayCode({
      stores: cachedStores(ctx),
      counters: new SendCounterTable(ctx.documents(), ctx.config.tableName),
      delivery: sendingDelivery(ctx),
      idempotency: idempotency(ctx),
      pepper: pepper(ctx),
      clock: ctx.clock,
      random: ctx.random,
      telemetry: ctx.telemetry,
      events: events(ctx).log,
      routing: routing(ctx).facts,
      voiceAllowed: ctx.config.voiceAllowed,
    }),
);
