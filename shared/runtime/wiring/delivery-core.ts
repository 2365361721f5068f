import { ConsoleSender } from '../../adapters/sms/console-sender.ts';
import { SmsDelivery, type DeliveryExtras } from '../../domain/sending/sms-delivery.ts';
import type { SmsSenders } from '../../ports/sms-sender.ts';
import type { Context, ProviderSenders } from '../context.ts';
import { outbound } from './outbound.ts';
import { gatewayDirectory } from './config-reads.ts';

/**
 * Delivery through the console gateway and the providers handed in: a function that sends passes
 * `adapters/sms/senders.ts` (wiring/sending.ts); every other one has the console only, and its bundle
 * neither the provider adapters nor undici. Local mode hands the providers in once, in the context.
 */
export function deliveryThrough(
  ctx: Context,
  providers: ProviderSenders | undefined,
  extras: DeliveryExtras | undefined,
): SmsDelivery {
  const { config } = ctx;
  return new SmsDelivery(
    gatewayDirectory(ctx),
    ctx.parts.senders ?? senders(ctx, providers ?? ctx.parts.providers),
    ctx.telemetry,
    config.providerTimeoutMs,
    config.publicUrl ?? config.hookBaseUrl,
    extras,
  );
}

function senders(ctx: Context, providers: ProviderSenders | undefined): SmsSenders {
  const { config, clock, random } = ctx;
  const print =
    ctx.strategies.outbox === 'print' ? (line: string) => console.log(`[outbox] ${line}`) : undefined;
  const consoleSender = new ConsoleSender(config.outboxFile, clock, random, print);
  let made: SmsSenders | undefined;
  return {
    forType: (type) => {
      if (type === 'console') return consoleSender;
      made ??= providers?.({
        timeoutMs: config.providerTimeoutMs,
        console: consoleSender,
        outbound: outbound(ctx),
      });
      return made?.forType(type);
    },
  };
}
