import type { GatewayCredentials, GatewayRecord } from '../domain/gateways/gateway.ts';
import type { Channel, GatewayType } from '../domain/gateways/gateway-types.ts';

export interface OutboundSms {
  /** E.164. */
  to: string;
  body: string;
  /**
   * Where the provider should post this message's delivery receipt (`POST /callbacks/{gatewayId}` on the
   * deployment's public URL); absent when the deployment does not know its public URL.
   */
  callbackUrl?: string;
  /** `voice`: a call that speaks `body` (its code's digits already separated); default `sms`. */
  channel?: Channel;
}

export interface SendResult {
  providerMessageId: string;
}

export interface SendOptions {
  /** Aborts the provider request: the attempt's timeout and the send's deadline, whichever comes first. */
  signal?: AbortSignal;
}

/**
 * Why a provider refused or failed; the domain decides on fallbacks from it. `opted-out`: the number asked
 * not to receive messages (Twilio 21610 and the like); `unreachable`: no connection was ever made.
 */
export type SendFailureKind =
  'invalid-number' | 'opted-out' | 'auth' | 'throttled' | 'unavailable' | 'unreachable' | 'rejected';

/**
 * `refused`: the provider's answer says it did not take the message (a 4xx, a documented rejection), or it
 * never received the request. `unknown`: a timeout, a connection lost after the request was written, a 5xx:
 * the message may be on its way, so the send counts and is never repeated on the same gateway.
 */
export type SendOutcome = 'refused' | 'unknown';

const UNKNOWN_BY_DEFAULT: ReadonlySet<SendFailureKind> = new Set(['unavailable']);

export class SendFailure extends Error {
  readonly outcome: SendOutcome;

  constructor(
    readonly kind: SendFailureKind,
    /** Safe to show an admin: no credentials, no full phone number, no message body. */
    readonly reason: string,
    outcome?: SendOutcome,
    /** The provider's own error code, when it gave one. */
    readonly providerCode?: string,
  ) {
    super(reason);
    this.name = 'SendFailure';
    this.outcome = outcome ?? (UNKNOWN_BY_DEFAULT.has(kind) ? 'unknown' : 'refused');
  }
}

export interface SmsSender {
  send(
    gateway: GatewayRecord,
    credentials: GatewayCredentials,
    sms: OutboundSms,
    options?: SendOptions,
  ): Promise<SendResult>;
}

export interface SmsSenders {
  forType(type: GatewayType): SmsSender | undefined;
}
