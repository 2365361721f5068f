import type { ReceiptRequest } from '../domain/deliveries/receipt.ts';
import { receiveReceipt } from '../operations/callbacks.ts';
import { receipts } from '../runtime/wiring/receipts.ts';
import { context } from '../runtime/context.ts';
import type { receiveAddressedReceipt, receiveAddressedReceiptGet } from '../operations/callbacks.ts';
import { buildHttpHandler, type HttpRequest, type LambdaHttpHandler } from './http-handler.ts';
import { hookBaseUrl } from './hook-url.ts';
import { jsonOrUndefined } from './json-text.ts';

/** The body's fields as strings, from a form or a JSON object (what else it holds is ignored). */
function paramsOf(rawBody: string, contentType: string | undefined): Record<string, string> {
  if (!/json/i.test(contentType ?? '')) return Object.fromEntries(new URLSearchParams(rawBody));
  const json = jsonOrUndefined(rawBody);
  if (!json || typeof json !== 'object' || Array.isArray(json)) return {};
  return Object.fromEntries(
    Object.entries(json as Record<string, unknown>).flatMap(([name, value]) =>
      typeof value === 'string' || typeof value === 'number' ? [[name, String(value)]] : [],
    ),
  );
}

async function answerReceipt(request: HttpRequest<typeof receiveReceipt>) {
  const { event } = request;
  const rawBody = event.isBase64Encoded
    ? Buffer.from(event.body ?? '', 'base64').toString('utf8')
    : (event.body ?? '');
  const query = event.rawQueryString ? `?${event.rawQueryString}` : '';
  const receipt: ReceiptRequest = {
    // The address the provider called, as it signed it: the public base, not the one behind it.
    url: `${hookBaseUrl(context().config, event).replace(/\/$/, '')}${event.rawPath}${query}`,
    rawBody,
    headers: request.headers,
    params: paramsOf(rawBody, request.headers['content-type']),
  };
  await receipts().receive(request.params.gatewayId, receipt);
  return { statusCode: 204, headers: { 'cache-control': 'no-store' }, body: '' };
}

/** `POST /callbacks/{gatewayId}`: the body is read raw (signatures cover its bytes), never validated as JSON. */
export function receiptHttpHandler(): LambdaHttpHandler {
  return buildHttpHandler(
    receiveReceipt,
    () => Promise.reject(new Error('receipts answer through answerReceipt')),
    (request) => answerReceipt(request),
  );
}

type AddressedOperation = typeof receiveAddressedReceipt | typeof receiveAddressedReceiptGet;

/**
 * `GET|POST /callbacks/{gatewayId}/{sendId}?t=<token>`: the report's fields are the query's (minus the
 * token) and the body's; the URL handed on carries no token, so nothing downstream can log it whole.
 */
async function answerAddressedReceipt(request: HttpRequest<AddressedOperation>) {
  const { config } = context();
  const { event } = request;
  const rawBody = event.isBase64Encoded
    ? Buffer.from(event.body ?? '', 'base64').toString('utf8')
    : (event.body ?? '');
  const query = new URLSearchParams(event.rawQueryString ?? '');
  const token = query.get('t') ?? undefined;
  query.delete('t');
  const receipt: ReceiptRequest = {
    url: `${hookBaseUrl(config, event).replace(/\/$/, '')}${event.rawPath}`,
    rawBody,
    headers: request.headers,
    params: { ...Object.fromEntries(query), ...paramsOf(rawBody, request.headers['content-type']) },
  };
  await receipts().receiveAddressed(request.params.gatewayId, request.params.sendId, token, receipt);
  return { statusCode: 204, headers: { 'cache-control': 'no-store' }, body: '' };
}

/** The per-message receipt routes; the body is read raw, never validated as JSON. */
export function addressedReceiptHttpHandler(operation: AddressedOperation): LambdaHttpHandler {
  return buildHttpHandler(
    operation,
    () => Promise.reject(new Error('receipts answer through answerAddressedReceipt')),
    (request) => answerAddressedReceipt(request),
  );
}
