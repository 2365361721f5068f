import type { GatewayType } from '../../domain/gateways/gateway-types.ts';
import { SendFailure, type SmsSender, type SmsSenders } from '../../ports/sms-sender.ts';
import type { OutboundGuard } from '../net/outbound-guard.ts';
import { HttpProviderSender } from './http-provider-sender.ts';
import { ProviderHttp } from './provider-http.ts';
import type { ProviderModule } from './providers/define-provider.ts';
import { PROVIDERS } from './providers/index.ts';

/** One adapter per provider module of the registry; `console` is supplied by the caller (it writes the local outbox). */
export function providerSenders(options: {
  timeoutMs: number;
  console: SmsSender;
  outbound: OutboundGuard;
  /** Milliseconds since the epoch, for the APIs that sign with the time. */
  now?: () => number;
}): SmsSenders {
  const http = new ProviderHttp(options.timeoutMs, options.outbound);
  const now = options.now ?? Date.now;
  let sns: SmsSender | undefined;
  const senderOf = (provider: ProviderModule): SmsSender => {
    switch (provider.transport.kind) {
      case 'http':
        return new HttpProviderSender(http, provider.transport.api(now), provider.voice?.(now));
      case 'aws-sdk':
        return (sns ??= loadedOnFirstSend(async () =>
          (await import('./sns-sender.ts')).snsSender(options.timeoutMs),
        ));
      case 'outbox':
        return options.console;
    }
  };
  const sanitized = new Map<GatewayType, SmsSender>();
  return {
    forType: (type) => {
      const provider = PROVIDERS[type] as ProviderModule | undefined;
      if (!provider) return undefined;
      if (!sanitized.has(type)) sanitized.set(type, sanitizedFailures(senderOf(provider)));
      return sanitized.get(type);
    },
  };
}

/**
 * A sender whose module (with its SDK client) is imported on its first send: bundled, it is a chunk a cold
 * start neither reads nor compiles, and a deployment that sends through no SNS gateway never loads it.
 */
function loadedOnFirstSend(load: () => Promise<SmsSender>): SmsSender {
  let sender: Promise<SmsSender> | undefined;
  return {
    send: async (...args) => {
      // A module that cannot load sent nothing: a refusal (the attempt is refunded, the next gateway tried),
      // and the next send imports it again.
      sender ??= load().catch(() => {
        sender = undefined;
        throw new SendFailure('unavailable', 'the provider adapter could not be loaded', 'refused');
      });
      return (await sender).send(...args);
    },
  };
}

/**
 * The scrubber (with `entities`, every HTML character reference: 30 KiB) is imported on the first failure
 * a provider answers: bundled, it is a chunk of its own that a cold start does not load.
 */
const providerText = () => import('./provider-text.ts');

/**
 * Every adapter's failure passes through here: whatever a provider echoes back, the reason that reaches
 * logs and `502` details carries none of the request's values; an adapter bug is an unknown outcome.
 */
export function sanitizedFailures(sender: SmsSender): SmsSender {
  return {
    send: async (gateway, credentials, sms, options) => {
      try {
        return await sender.send(gateway, credentials, sms, options);
      } catch (error) {
        if (!(error instanceof SendFailure)) {
          throw new SendFailure('unavailable', 'the provider adapter failed unexpectedly', 'unknown');
        }
        // Kind and outcome carry no provider text: kept, the send path still stops on an opted-out number
        // and refunds a refusal when the scrubber cannot load; the text and code are dropped.
        const { cleanProviderCode, scrubProviderText, sensitiveValues } = await providerText().catch(() => {
          throw new SendFailure(
            error.kind,
            'the provider failed; its answer could not be scrubbed',
            error.outcome,
          );
        });
        const sensitive = sensitiveValues(gateway, credentials, sms);
        throw new SendFailure(
          error.kind,
          scrubProviderText(error.reason, sensitive),
          error.outcome,
          cleanProviderCode(error.providerCode, sensitive),
        );
      }
    },
  };
}
