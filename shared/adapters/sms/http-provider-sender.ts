import type { GatewayCredentials, GatewayRecord } from '../../domain/gateways/gateway.ts';
import {
  SendFailure,
  type OutboundSms,
  type SendOptions,
  type SendResult,
  type SmsSender,
} from '../../ports/sms-sender.ts';
import type { ProviderApi } from './provider-api.ts';
import type { ProviderHttp } from './provider-http.ts';

/** An SMS adapter for an HTTP provider: the transport is shared, the provider's API is the only part that differs. */
export class HttpProviderSender implements SmsSender {
  constructor(
    private readonly http: ProviderHttp,
    private readonly api: ProviderApi,
    /** The provider's call API; absent for a provider that only sends SMS. */
    private readonly voiceApi?: ProviderApi,
  ) {}

  async send(
    gateway: GatewayRecord,
    credentials: GatewayCredentials,
    sms: OutboundSms,
    options: SendOptions = {},
  ): Promise<SendResult> {
    const api = sms.channel === 'voice' ? this.voiceApi : this.api;
    // The plan never hands a call to an SMS-only gateway; refusing here keeps a wrong call from going out as an SMS.
    if (!api) throw new SendFailure('rejected', `${gateway.type} gateways cannot place calls`);
    const call = { gateway, credentials, sms };
    const response = await this.http.send(gateway, credentials, options, api.request(call));
    return api.answer(response, call);
  }
}
