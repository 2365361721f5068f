import { PublishCommand, SNSClient, type MessageAttributeValue } from '@aws-sdk/client-sns';
import type { GatewayCredentials, GatewayRecord } from '../../domain/gateways/gateway.ts';
import {
  SendFailure,
  type OutboundSms,
  type SendFailureKind,
  type SendOptions,
  type SendResult,
  type SmsSender,
} from '../../ports/sms-sender.ts';
import { sanitizeReason } from './provider-api.ts';

/**
 * `AWS.MM.SMS.OriginationNumber`: "a custom string of 5–14 numbers, which can include an optional leading
 * plus sign"; E.164 numbers (up to 15 digits) and short codes both go here.
 */
const ORIGINATION_NUMBER = /^\+?\d{5,15}$/;
/** `AWS.SNS.SMS.SenderID`: 3–11 alphanumeric characters with at least one letter and no spaces. */
const SENDER_ID = /^(?=.*[A-Za-z])[A-Za-z0-9-]{3,11}$/;

const AUTH_ERRORS = new Set([
  'AuthorizationErrorException',
  'InvalidSecurityException',
  'InvalidClientTokenId',
  'UnrecognizedClientException',
  'InvalidAccessKeyId',
  'SignatureDoesNotMatch',
  'IncompleteSignature',
  'MissingAuthenticationToken',
  'AccessDenied',
  'AccessDeniedException',
  'ExpiredToken',
  'ExpiredTokenException',
  'CredentialsProviderError',
]);
const THROTTLING_ERRORS = new Set([
  'ThrottledException',
  'Throttling',
  'ThrottlingException',
  'TooManyRequestsException',
  'RequestLimitExceeded',
]);
const PARAMETER_ERRORS = new Set([
  'InvalidParameterException',
  'InvalidParameterValueException',
  'ValidationException',
]);

/** No connection was made, so nothing can have been published. */
const NEVER_CONNECTED = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

/** Endpoint overrides are few (a VPC endpoint, a test double); bound the cache all the same. */
const MAX_ENDPOINT_CLIENTS = 8;

export interface SnsSenderOptions {
  /** Builds the client for a gateway's endpoint override; by default one sharing the main client's region and credentials. */
  clientForEndpoint?: (endpoint: string) => SNSClient;
}

/**
 * Amazon SNS `Publish` straight to a phone number (no topic): `PhoneNumber` in E.164, `Message`, and
 * `MessageAttributes` marking the message `Transactional`, with the gateway's `from` as
 * `AWS.MM.SMS.OriginationNumber` (a number) or `AWS.SNS.SMS.SenderID` (alphanumeric). Answers `MessageId`.
 * Credentials come from the Lambda role, not the secret store; `gateway.url` overrides the endpoint.
 *
 * SNS accepts a publish to an opted-out number and only fails it in the delivery logs, so `OptedOutException`
 * (which the SMS sandbox calls throw) is mapped for completeness rather than expected here.
 */
export class SnsSender implements SmsSender {
  private readonly endpointClients = new Map<string, SNSClient>();
  private readonly clientForEndpoint: (endpoint: string) => SNSClient;

  constructor(
    private readonly client: SNSClient,
    options: SnsSenderOptions = {},
  ) {
    this.clientForEndpoint =
      options.clientForEndpoint ??
      ((endpoint) =>
        new SNSClient({
          endpoint,
          region: this.client.config.region,
          credentials: this.client.config.credentials,
          // One Publish per attempt: the service decides retries, and an unknown outcome is never repeated.
          maxAttempts: 1,
        }));
  }

  async send(
    gateway: GatewayRecord,
    _credentials: GatewayCredentials,
    sms: OutboundSms,
    options: SendOptions = {},
  ): Promise<SendResult> {
    if (sms.channel === 'voice') throw new SendFailure('rejected', 'aws-sns gateways cannot place calls');
    const command = new PublishCommand({
      PhoneNumber: sms.to,
      Message: sms.body,
      MessageAttributes: {
        'AWS.SNS.SMS.SMSType': { DataType: 'String', StringValue: 'Transactional' },
        ...senderAttributes(gateway.from),
      },
    });
    let messageId: string | undefined;
    try {
      ({ MessageId: messageId } = await this.clientFor(gateway).send(command, {
        abortSignal: options.signal,
      }));
    } catch (error) {
      throw failureFor(error, sms);
    }
    if (!messageId) throw new SendFailure('unavailable', 'Amazon SNS answered without a MessageId');
    return { providerMessageId: messageId };
  }

  /** Releases the endpoint-override clients; the injected main client belongs to the caller. */
  close(): void {
    for (const client of this.endpointClients.values()) client.destroy();
    this.endpointClients.clear();
  }

  private clientFor(gateway: GatewayRecord): SNSClient {
    const endpoint = gateway.url;
    if (!endpoint) return this.client;
    let client = this.endpointClients.get(endpoint);
    if (!client) {
      if (this.endpointClients.size >= MAX_ENDPOINT_CLIENTS) {
        const [oldest, oldestClient] = this.endpointClients.entries().next().value!;
        this.endpointClients.delete(oldest);
        oldestClient.destroy();
      }
      client = this.clientForEndpoint(endpoint);
      this.endpointClients.set(endpoint, client);
    }
    return client;
  }
}

function senderAttributes(from: string | null): Record<string, MessageAttributeValue> {
  if (!from) return {};
  if (ORIGINATION_NUMBER.test(from)) {
    return { 'AWS.MM.SMS.OriginationNumber': { DataType: 'String', StringValue: from } };
  }
  if (SENDER_ID.test(from)) return { 'AWS.SNS.SMS.SenderID': { DataType: 'String', StringValue: from } };
  throw new SendFailure(
    'rejected',
    'the sender is neither an origination number (E.164) nor a sender ID (3-11 letters, digits or hyphens, at least one letter)',
  );
}

interface AwsError {
  name?: string;
  message?: string;
  code?: string;
  $metadata?: { httpStatusCode?: number };
  $retryable?: { throttling?: boolean };
}

function failureFor(error: unknown, sms: OutboundSms): SendFailure {
  if (error instanceof SendFailure) return error;
  const e = (error ?? {}) as AwsError;
  const name = e.name ?? 'Error';
  // Service errors carry $metadata; anything else never reached SNS (DNS, TLS, socket, timeout).
  if (!e.$metadata && !AUTH_ERRORS.has(name)) {
    const code = e.code ?? name;
    if (NEVER_CONNECTED.has(code))
      return new SendFailure('unreachable', `Amazon SNS unreachable (${code})`, 'refused');
    return new SendFailure('unavailable', `Amazon SNS did not answer (${code})`);
  }
  const reason = sanitizeReason(`Amazon SNS ${name}: ${scrub(e.message ?? '', sms)}`);
  const status = e.$metadata?.httpStatusCode ?? 500;
  // A 5xx from SNS may still have published; a 4xx (throttling included) did not.
  return new SendFailure(kindFor(name, e), reason, status >= 500 ? 'unknown' : 'refused', name);
}

function kindFor(name: string, error: AwsError): SendFailureKind {
  if (AUTH_ERRORS.has(name)) return 'auth';
  if (THROTTLING_ERRORS.has(name) || error.$metadata?.httpStatusCode === 429 || error.$retryable?.throttling)
    return 'throttled';
  if (name === 'OptedOutException') return 'opted-out';
  if (PARAMETER_ERRORS.has(name))
    return /phone\s*number/i.test(error.message ?? '') ? 'invalid-number' : 'rejected';
  return 'unavailable';
}

/** SNS quotes the rejected number in its messages; remove it, the body and any code-like digit run. */
function scrub(text: string, sms: OutboundSms): string {
  let scrubbed = text;
  for (const secret of [sms.body, sms.to, sms.to.replace(/^\+/, '')]) {
    if (secret) scrubbed = scrubbed.replaceAll(secret, '…');
  }
  return scrubbed.replace(/\d{4,}/g, '…');
}

/** The deployed SNS sender: one client, and one per gateway endpoint override, each bounded by `timeoutMs`. */
export function snsSender(timeoutMs: number): SnsSender {
  return new SnsSender(new SNSClient(snsClientConfig(timeoutMs)), {
    clientForEndpoint: (endpoint) => new SNSClient({ ...snsClientConfig(timeoutMs), endpoint }),
  });
}

/**
 * The service's own rules decide retries and fallbacks, so the SDK makes exactly one `Publish` per attempt;
 * the deadline's signal bounds each call.
 */
function snsClientConfig(timeoutMs: number) {
  return {
    maxAttempts: 1,
    // Without throwOnRequestTimeout the handler (@smithy/node-http-handler 4) only warns when requestTimeout passes.
    requestHandler: { requestTimeout: timeoutMs, connectionTimeout: timeoutMs, throwOnRequestTimeout: true },
  };
}
