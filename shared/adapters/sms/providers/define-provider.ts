import type { AddressedReceiptKind, ReceiptKind } from '../../../domain/deliveries/receipt.ts';
import {
  GATEWAY_TYPE_INFO,
  type GatewayType,
  type GatewayTypeInfo,
} from '../../../domain/gateways/gateway-types.ts';
import type { ProviderApi } from '../provider-api.ts';

/**
 * How a provider's messages leave: its documented HTTP API over the shared transport (`api` gets the
 * clock some APIs sign with), the AWS SDK (SNS), or the local outbox (console). The transports
 * themselves are built in `senders.ts`, which only the functions that send import.
 */
export type ProviderTransport =
  { kind: 'http'; api: (now: () => number) => ProviderApi } | { kind: 'aws-sdk' } | { kind: 'outbox' };

/**
 * Everything about one SMS provider: the domain's catalogue entry (what `GET /admin/gateway-types`
 * shows and gateway validation reads), how to send through it, and how to check its delivery receipts.
 */
export interface ProviderModule<T extends GatewayType = GatewayType> {
  type: T;
  info: GatewayTypeInfo;
  transport: ProviderTransport;
  /** Its receipts' signature and fields; absent where receipts are not verified yet (they are refused). */
  receipts?: ReceiptKind;
  /** Receipts on the message's own receipt address (api.md "Receipts per provider"). */
  addressedReceipts?: AddressedReceiptKind;
  /** How it places a call that speaks the text (types whose catalogue entry has the `voice` channel). */
  voice?: (now: () => number) => ProviderApi;
}

/**
 * A provider module extends the domain's catalogue entry for its type, so the domain keeps the facts it
 * validates with (and no adapter code) while the adapter side holds the rest in one place.
 */
export function defineProvider<T extends GatewayType>(
  type: T,
  parts: { transport: ProviderTransport; receipts?: ReceiptKind; addressedReceipts?: AddressedReceiptKind },
): ProviderModule<T> {
  return { type, info: GATEWAY_TYPE_INFO[type], ...parts };
}

/** A provider module that can also call: its call API beside its SMS one (the registry pairs them). */
export function withVoice<T extends GatewayType>(
  provider: ProviderModule<T>,
  voice: (now: () => number) => ProviderApi,
): ProviderModule<T> {
  return { ...provider, voice };
}

export function httpApi(provider: ProviderModule, now: () => number = Date.now): ProviderApi {
  if (provider.transport.kind !== 'http') throw new Error(`${provider.type} does not send over HTTP`);
  return provider.transport.api(now);
}
