import type { AddressedReceiptKind, ReceiptKind } from '../../../domain/deliveries/receipt.ts';
import type { GatewayType } from '../../../domain/gateways/gateway-types.ts';
import { awsSns } from './aws-sns.ts';
import { consoleOutbox } from './console.ts';
import { customHttp } from './custom-http.ts';
import { httpApi, withVoice, type ProviderModule } from './define-provider.ts';
import { infobip } from './infobip.ts';
import { infobipVoice } from './infobip-voice.ts';
import { messagebird } from './messagebird.ts';
import { messageBirdVoice } from './messagebird-voice.ts';
import { plivo } from './plivo.ts';
import { sinch } from './sinch.ts';
import { sinchVoice } from './sinch-voice.ts';
import { twilio } from './twilio.ts';
import { twilioVoice } from './twilio-voice.ts';
import { vonage } from './vonage.ts';

/**
 * The one registry of SMS providers: one module per gateway type of the domain's catalogue (a type
 * without a module, or a module for a type the catalogue lacks, does not compile). The senders
 * (`senders.ts`) and the receipt kinds below derive from it.
 */
export const PROVIDERS: { readonly [T in GatewayType]: ProviderModule<T> } = {
  'aws-sns': awsSns,
  twilio: withVoice(twilio, twilioVoice),
  vonage,
  plivo,
  sinch: withVoice(sinch, sinchVoice),
  infobip: withVoice(infobip, infobipVoice),
  messagebird: withVoice(messagebird, messageBirdVoice),
  // custom-http calls through its own endpoint: `{channel}` in its body template tells the two apart.
  'custom-http': withVoice(customHttp, (now) => httpApi(customHttp, now)),
  console: consoleOutbox,
};

export const providerModules = (): ProviderModule[] => Object.values(PROVIDERS);

/** The gateway types whose delivery receipts are verified, with how (a type absent here has none). */
export function receiptKinds(): Partial<Record<GatewayType, ReceiptKind>> {
  return Object.fromEntries(
    providerModules().flatMap((provider) => (provider.receipts ? [[provider.type, provider.receipts]] : [])),
  );
}

/** The gateway types whose receipts arrive on per-message addresses, with how each request reads. */
export function addressedReceiptKinds(): Partial<Record<GatewayType, AddressedReceiptKind>> {
  return Object.fromEntries(
    providerModules().flatMap((provider) =>
      provider.addressedReceipts ? [[provider.type, provider.addressedReceipts]] : [],
    ),
  );
}
