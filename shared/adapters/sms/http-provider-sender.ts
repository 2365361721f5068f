import type { GatewayCredentials, GatewayRecord } from '../../domain/gateways/gateway.ts';
import type { OutboundSms, SendOptions, SendResult, SmsSender } from '../../ports/sms-sender.ts';
import type { ProviderApi } from './provider-api.ts';
import type { ProviderHttp } from './provider-http.ts';

/** An SMS adapter for an HTTP provider: the transport is shared, the provider's API is the only part that differs. */
export class HttpProviderSender implements SmsSender {
  constructor(
    private readonly http: ProviderHttp,
    private readonly api: ProviderApi,
  ) {}

  async send(
    gateway: GatewayRecord,
    credentials: GatewayCredentials,
    sms: OutboundSms,
    options: SendOptions = {},
  ): Promise<SendResult> {
    const call = { gateway, credentials, sms };
    const response = await this.http.send(gateway, credentials, options, this.api.request(call));
    return this.api.answer(response, call);
  }
}
