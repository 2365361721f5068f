import type { EventPort } from '../../ports/events.ts';
import type { SendHistory } from '../../ports/send-history.ts';
import type { Telemetry } from '../../ports/telemetry.ts';
import type { Clock } from '../../ports/clock.ts';
import { Unauthorized } from '../errors.ts';
import { FreshReads } from '../fresh-reads.ts';
import type { GatewayDirectory } from '../sending/sms-delivery.ts';
import type { ReceiptAddresses } from './receipt-address.ts';
import type {
  AddressedReceiptKind,
  ParsedReceipt,
  ReceiptKind,
  ReceiptPrice,
  ReceiptRequest,
} from './receipt.ts';
import type { DeliveryStatus, MessageRef } from './send-record.ts';

export interface ReceiptDeps {
  directory: Pick<GatewayDirectory, 'connection'>;
  history: SendHistory;
  /** Receipt kinds by gateway type; a type without one has no receipts. */
  kinds: Readonly<Partial<Record<string, ReceiptKind>>>;
  /** Kinds whose receipts arrive on per-message addresses (`/callbacks/{gatewayId}/{sendId}?t=`). */
  addressedKinds?: Readonly<Partial<Record<string, AddressedReceiptKind>>>;
  /** Judges a per-message address's token; absent: every such request is refused. */
  addresses?: Pick<ReceiptAddresses, 'valid'>;
  events: EventPort;
  telemetry: Telemetry;
  clock: Clock;
  /** Told of each recorded status (the usage ledger, locally); it never throws (a side path). */
  recorded?: (ref: MessageRef, status: DeliveryStatus, price: ReceiptPrice | undefined) => Promise<void>;
  /** Told of each first final status (delivery failover reroutes on a failed one). */
  onFinal?: (ref: MessageRef, status: 'delivered' | 'failed' | 'undelivered') => Promise<void>;
}

/** Whatever is wrong (gateway, type, signature, age), the answer is the same. */
const refused = () => new Unauthorized('The delivery receipt is not authenticated.');

/**
 * `POST /callbacks/{gatewayId}`: a verified receipt records the first terminal status on its send and
 * emits `code.delivery`; a receipt of an unknown message, a repeated or intermediate status changes
 * nothing. Every refusal is one 401.
 */
export class ReceiveReceipt {
  private readonly freshReads: FreshReads;

  constructor(private readonly deps: ReceiptDeps) {
    this.freshReads = new FreshReads(deps.clock);
  }

  async receive(gatewayId: string, request: ReceiptRequest): Promise<void> {
    const now = this.deps.clock.now().getTime();
    // A secret changed moments ago may not be in this process's cache yet: one fresh read, rationed so
    // that forged receipts cost no secret reads.
    const kind =
      (await this.verified(gatewayId, request, now)) ??
      (this.freshReads.take(gatewayId) ? await this.verified(gatewayId, request, now, true) : undefined);
    if (!kind) throw refused();
    const receipt = kind.parse(request);
    if (receipt) await this.record(gatewayId, receipt, now);
  }

  /**
   * `GET|POST /callbacks/{gatewayId}/{sendId}?t=<token>`: the token proves the request came from whom
   * the message's address was given to. A valid token is answered 204 whatever its reports match; each
   * report is recorded on its own (one that cannot be is retried by the provider with the rest: a
   * status is recorded once).
   */
  async receiveAddressed(
    gatewayId: string,
    sendId: string,
    token: string | undefined,
    request: ReceiptRequest,
  ): Promise<void> {
    if (!this.deps.addresses || !(await this.deps.addresses.valid(gatewayId, sendId, token))) throw refused();
    const now = this.deps.clock.now().getTime();
    const connection = await this.deps.directory.connection(gatewayId);
    const kind = connection && this.deps.addressedKinds?.[connection.gateway.type];
    if (!kind) return;
    const outcomes = await Promise.allSettled(
      kind.parse(request).map((receipt) => this.record(gatewayId, receipt, now)),
    );
    const failed = outcomes.find((outcome) => outcome.status === 'rejected');
    if (failed) throw failed.reason;
  }

  private async record(gatewayId: string, receipt: ParsedReceipt, now: number): Promise<void> {
    if (!receipt.status) return;
    const ref = await this.deps.history.findMessage(gatewayId, receipt.messageId);
    if (!ref) return;
    // A price in a named currency may not be the store's: the stream's projection cannot tell, so only
    // an amount in the store's own currency (custom-http's `price`) is kept on the send.
    const reportedCost = receipt.price?.currency === undefined ? receipt.price?.amount : undefined;
    if (!(await this.deps.history.markDelivery(ref, receipt.status, now, reportedCost))) return;
    this.emit(ref, receipt.status, now);
    await this.deps.recorded?.(ref, receipt.status, receipt.price);
    await this.deps.onFinal?.(ref, receipt.status);
  }

  private async verified(
    gatewayId: string,
    request: ReceiptRequest,
    now: number,
    fresh = false,
  ): Promise<ReceiptKind | undefined> {
    const connection = await this.deps.directory.connection(gatewayId, fresh ? { fresh } : undefined);
    const kind = connection && this.deps.kinds[connection.gateway.type];
    const secret = connection?.credentials.callbackSecret;
    return kind && secret && kind.verify(request, secret, now) ? kind : undefined;
  }

  private emit(ref: MessageRef, status: 'delivered' | 'failed' | 'undelivered', now: number): void {
    const dimensions = { gatewayType: ref.gatewayType, country: ref.country ?? 'unknown' };
    if (status === 'delivered') {
      this.deps.telemetry.count('SmsDelivered', dimensions);
      this.deps.telemetry.timing('TimeToDelivery', now - Date.parse(ref.sentAt), dimensions);
    } else {
      this.deps.telemetry.count('SmsDeliveryFailed', dimensions);
    }
    this.deps.events.emit('code.delivery', {
      storeId: ref.storeId,
      challengeId: ref.challengeId,
      ...(ref.userId ? { userId: ref.userId } : {}),
      purpose: ref.purpose,
      maskedPhone: ref.maskedPhone,
      ...(ref.country ? { country: ref.country } : {}),
      gatewayId: ref.gatewayId,
      gatewayType: ref.gatewayType,
      providerMessageId: ref.providerMessageId,
      status,
    });
  }
}
