import { receiptKinds } from '../adapters/sms/providers/index.ts';
import { registerReceiptKinds } from './container.ts';

/**
 * Imported (for this effect) by the function that receives delivery receipts: the provider modules'
 * receipt checks; every other function's bundle stays without the provider modules.
 */
registerReceiptKinds(receiptKinds());
