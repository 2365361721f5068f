import { ConsoleSender } from '../../adapters/sms/console-sender.ts';
import { SmsDelivery } from '../../domain/sending/sms-delivery.ts';
import type { SmsSenders } from '../../ports/sms-sender.ts';
import { feature, type Context, type ProviderSenders } from '../context.ts';
import { failover } from './failover.ts';
import { outbound } from './outbound.ts';
import { gatewayDirectory } from './config-reads.ts';

/**
 * Delivery through the console gateway and the providers handed in: a function that sends passes
 * `adapters/sms/senders.ts` (wiring/sending.ts); every other one has the console only, and its bundle
 * neither the provider adapters nor undici. Local mode hands the providers in once, in the context.
 */
export function deliveryWith(ctx: Context, providers: ProviderSenders | undefined): SmsDelivery {
  const { config } = ctx;
  return new SmsDelivery(
    gatewayDirectory(ctx),
    ctx.parts.senders ?? senders(ctx, providers ?? ctx.parts.providers),
    ctx.telemetry,
    config.providerTimeoutMs,
    config.publicUrl ?? config.hookBaseUrl,
    failover(ctx).delivery,
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

/** Delivery in a function that does not send: the console gateway, or local mode's providers. */
export const consoleDelivery = feature('console delivery', (ctx) => deliveryWith(ctx, undefined));
