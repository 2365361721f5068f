import { SNSClient } from '@aws-sdk/client-sns';
import type { GatewayType } from '../../domain/gateways/gateway-types.ts';
import { SendFailure, type SmsSender, type SmsSenders } from '../../ports/sms-sender.ts';
import type { OutboundGuard } from '../net/outbound-guard.ts';
import { HttpProviderSender } from './http-provider-sender.ts';
import { ProviderHttp } from './provider-http.ts';
import { cleanProviderCode, scrubProviderText, sensitiveValues } from './provider-text.ts';
import type { ProviderModule } from './providers/define-provider.ts';
import { PROVIDERS } from './providers/index.ts';
import { SnsSender } from './sns-sender.ts';

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
        return (sns ??= new SnsSender(new SNSClient(snsClientConfig(options.timeoutMs)), {
          clientForEndpoint: (endpoint) => new SNSClient({ ...snsClientConfig(options.timeoutMs), endpoint }),
        }));
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
 * The service's own rules decide retries and fallbacks, so the SDK makes exactly one `Publish` per attempt;
 * the deadline's signal bounds each call.
 */
function snsClientConfig(timeoutMs: number) {
  return {
    maxAttempts: 1,
    // Without throwOnRequestTimeout the handler (@smithy/node-http-handler 4) only warns when requestTimeout passes.
    requestHandler: { requestTimeout: timeoutMs, connectionTimeout: timeoutMs, throwOnRequestTimeout: true },
  };
}

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
        const sensitive = sensitiveValues(gateway, credentials, sms);
        if (!(error instanceof SendFailure)) {
          throw new SendFailure('unavailable', 'the provider adapter failed unexpectedly', 'unknown');
        }
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
