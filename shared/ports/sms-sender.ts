import type { GatewayCredentials, GatewayRecord } from '../domain/gateways/gateway.ts';
import type { GatewayType } from '../domain/gateways/gateway-types.ts';

export interface OutboundSms {
  /** E.164. */
  to: string;
  body: string;
}

export interface SendResult {
  providerMessageId: string;
}

/** Why a provider refused or failed; the domain decides on retries and fallbacks from it. */
export type SendFailureKind = 'invalid-number' | 'auth' | 'throttled' | 'unavailable' | 'rejected';

export class SendFailure extends Error {
  constructor(
    readonly kind: SendFailureKind,
    /** Safe to show an admin: no credentials, no full phone number, no message body. */
    readonly reason: string,
  ) {
    super(reason);
    this.name = 'SendFailure';
  }
}

export interface SmsSender {
  send(gateway: GatewayRecord, credentials: GatewayCredentials, sms: OutboundSms): Promise<SendResult>;
}

export interface SmsSenders {
  forType(type: GatewayType): SmsSender | undefined;
}
