import { SNSClient } from '@aws-sdk/client-sns';
import type { GatewayType } from '../../domain/gateways/gateway-types.ts';
import type { SmsSender, SmsSenders } from '../../ports/sms-sender.ts';
import { CustomHttpSender } from './custom-http-sender.ts';
import { InfobipSender } from './infobip-sender.ts';
import { MessageBirdSender } from './messagebird-sender.ts';
import { PlivoSender } from './plivo-sender.ts';
import { ProviderHttp } from './provider-http.ts';
import { SinchSender } from './sinch-sender.ts';
import { SnsSender } from './sns-sender.ts';
import { TwilioSender } from './twilio-sender.ts';
import { VonageSender } from './vonage-sender.ts';

/** One adapter per gateway type; `console` is supplied by the caller (it writes the local outbox). */
export function providerSenders(options: { timeoutMs: number; console: SmsSender }): SmsSenders {
  const http = new ProviderHttp(options.timeoutMs);
  const sns = new SNSClient({
    requestHandler: { requestTimeout: options.timeoutMs, connectionTimeout: options.timeoutMs },
  });
  const byType: Record<GatewayType, SmsSender> = {
    'aws-sns': new SnsSender(sns),
    twilio: new TwilioSender(http),
    vonage: new VonageSender(http),
    plivo: new PlivoSender(http),
    sinch: new SinchSender(http),
    infobip: new InfobipSender(http),
    messagebird: new MessageBirdSender(http),
    'custom-http': new CustomHttpSender(http),
    console: options.console,
  };
  return { forType: (type) => byType[type] };
}
