import type { ReceiptKind } from '../../../domain/deliveries/receipt.ts';
import type { GatewayType } from '../../../domain/gateways/gateway-types.ts';
import { customHttpReceipts } from './custom-http-receipts.ts';
import { plivoReceipts } from './plivo-receipts.ts';
import { twilioReceipts } from './twilio-receipts.ts';
import { vonageReceipts } from './vonage-receipts.ts';

/** The gateway types whose delivery receipts are verified; Sinch, Infobip, MessageBird: not yet. */
export const RECEIPT_KINDS: Readonly<Partial<Record<GatewayType, ReceiptKind>>> = {
  twilio: twilioReceipts,
  vonage: vonageReceipts,
  plivo: plivoReceipts,
  'custom-http': customHttpReceipts,
};
