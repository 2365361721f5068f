import { receiveAddressedReceiptGet } from '../../shared/operations/callbacks.ts';
import { addressedReceiptHttpHandler } from '../../shared/http/receipt-handler.ts';

export const handler = addressedReceiptHttpHandler(receiveAddressedReceiptGet);
