import { SNSClient } from '@aws-sdk/client-sns';
import type { GatewayType } from '../../domain/gateways/gateway-types.ts';
import { SendFailure, type SmsSender, type SmsSenders } from '../../ports/sms-sender.ts';
import { CustomHttpSender } from './custom-http-sender.ts';
import { InfobipSender } from './infobip-sender.ts';
import { MessageBirdSender } from './messagebird-sender.ts';
import { PlivoSender } from './plivo-sender.ts';
import type { OutboundGuard } from '../net/outbound-guard.ts';
import { ProviderHttp } from './provider-http.ts';
import { cleanProviderCode, scrubProviderText, sensitiveValues } from './provider-text.ts';
import { SinchSender } from './sinch-sender.ts';
import { SnsSender } from './sns-sender.ts';
import { TwilioSender } from './twilio-sender.ts';
import { VonageSender } from './vonage-sender.ts';

/** One adapter per gateway type; `console` is supplied by the caller (it writes the local outbox). */
export function providerSenders(options: {
  timeoutMs: number;
  console: SmsSender;
  outbound: OutboundGuard;
}): SmsSenders {
  const http = new ProviderHttp(options.timeoutMs, options.outbound);
  const sns = new SNSClient(snsClientConfig(options.timeoutMs));
  const byType: Record<GatewayType, SmsSender> = {
    'aws-sns': new SnsSender(sns, {
      clientForEndpoint: (endpoint) => new SNSClient({ ...snsClientConfig(options.timeoutMs), endpoint }),
    }),
    twilio: new TwilioSender(http),
    vonage: new VonageSender(http),
    plivo: new PlivoSender(http),
    sinch: new SinchSender(http),
    infobip: new InfobipSender(http),
    messagebird: new MessageBirdSender(http),
    'custom-http': new CustomHttpSender(http),
    console: options.console,
  };
  const sanitized = new Map<GatewayType, SmsSender>();
  return {
    forType: (type) => {
      if (!sanitized.has(type)) sanitized.set(type, sanitizedFailures(byType[type]));
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
    requestHandler: { requestTimeout: timeoutMs, connectionTimeout: timeoutMs },
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
