import { addressedReceiptKinds, receiptKinds } from '../adapters/sms/providers/index.ts';
import { ReceiveReceipt } from '../domain/deliveries/receive-receipt.ts';
import { registerReceipts } from './container.ts';

/**
 * Imported (for this effect) by the function that receives delivery receipts: the receipt use case with
 * the provider modules' receipt checks; every other function's bundle stays without them.
 */
const kinds = receiptKinds();
const addressedKinds = addressedReceiptKinds();
registerReceipts((deps) => new ReceiveReceipt({ ...deps, kinds, addressedKinds }));
