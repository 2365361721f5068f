import type { DomainEvent } from '../../ports/events.ts';
import { UNKNOWN_COUNTRY } from '../sending/route-choice.ts';
import { hourOf, type Count } from './delivery-counts.ts';

/**
 * What the service's own events say about delivery statistics: a message a gateway accepted, a receipt
 * on it, an approval credited to the gateway that carried the verifying code. Test numbers, relayed
 * codes (no challenge) and test connections (no event) are never counted.
 */
export interface AcceptedMessage {
  storeId: string;
  challengeId: string;
  hour: number;
  country: string;
  gatewayId: string;
  purpose: string;
  providerMessageId: string | undefined;
  /** Epoch ms: the carried code's expiry, which an approval names. */
  codeExpiresAt: number | undefined;
}

export type DeliveryFact =
  | { kind: 'accepted'; message: AcceptedMessage }
  | {
      kind: 'receipt';
      challengeId: string;
      providerMessageId: string;
      count: Extract<Count, 'delivered' | 'failed'>;
    }
  | { kind: 'approved'; challengeId: string; codeExpiresAt: number };

const text = (data: Record<string, unknown>, name: string) =>
  typeof data[name] === 'string' ? (data[name] as string) : undefined;

const epoch = (iso: string | undefined) => (iso ? Date.parse(iso) : undefined);

export function deliveryFactOf(event: DomainEvent): DeliveryFact | undefined {
  const data = event.data as Record<string, unknown>;
  const challengeId = text(data, 'challengeId');
  const storeId = text(data, 'storeId');
  if (!challengeId || !storeId) return undefined;
  if (event.type === 'code.sent') {
    const gatewayId = text(data, 'gatewayId');
    if (data.test === true || data.outcome !== 'accepted' || !gatewayId) return undefined;
    return {
      kind: 'accepted',
      message: {
        storeId,
        challengeId,
        hour: hourOf(Date.parse(event.timestamp)),
        country: text(data, 'country') ?? UNKNOWN_COUNTRY,
        gatewayId,
        purpose: text(data, 'purpose') ?? 'unknown',
        providerMessageId: text(data, 'providerMessageId'),
        codeExpiresAt: epoch(text(data, 'codeExpiresAt')),
      },
    };
  }
  if (event.type === 'code.delivery') {
    const providerMessageId = text(data, 'providerMessageId');
    const status = text(data, 'status');
    if (!providerMessageId || !status) return undefined;
    return {
      kind: 'receipt',
      challengeId,
      providerMessageId,
      count: status === 'delivered' ? 'delivered' : 'failed',
    };
  }
  if (event.type === 'challenge.approved') {
    const codeExpiresAt = epoch(text(data, 'codeExpiresAt'));
    return codeExpiresAt === undefined ? undefined : { kind: 'approved', challengeId, codeExpiresAt };
  }
  return undefined;
}
