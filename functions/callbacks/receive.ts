import { receiptHttpHandler } from '../../shared/http/receipt-handler.ts';

export const handler = receiptHttpHandler();
