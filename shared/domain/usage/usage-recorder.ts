import type { DomainEvent, EventPublisher } from '../../ports/events.ts';
import type { Telemetry } from '../../ports/telemetry.ts';
import type { ReceiptPrice } from '../deliveries/receipt.ts';
import type { DeliveryStatus, MessageRef } from '../deliveries/send-record.ts';
import { toMillionths } from '../fraud/spend.ts';
import { sideEffectFailed } from '../side-effects.ts';
import type { UsageFact, UsageProjection } from './usage-projection.ts';

/**
 * The usage ledger fed in-process (local mode, api.md "Routing state is never written on the send
 * path"): each `code.sent` and `challenge.approved` publication applies its fact beside the publication
 * the answer already waits for, so the counters include every answer already given. A failure is a
 * side path (`SideEffectFailed`, kind `usage-counter`), never the answer's.
 */
export class UsageRecorder implements EventPublisher {
  constructor(
    private readonly inner: EventPublisher,
    private readonly projection: Pick<UsageProjection, 'apply'>,
    private readonly telemetry: Telemetry,
  ) {}

  async publish(event: DomainEvent): Promise<void> {
    const fact = factOfEvent(event);
    await Promise.all([
      this.inner.publish(event),
      fact ? applyQuietly(this.projection, fact, this.telemetry, event.type) : undefined,
    ]);
  }
}

/** The receipt use case's `recorded` hook: a status (and the provider's price in the store's currency). */
export function usageOfReceipts(
  projection: Pick<UsageProjection, 'apply'>,
  currencyOf: (storeId: string) => Promise<string | undefined>,
  telemetry: Telemetry,
) {
  return async (ref: MessageRef, status: DeliveryStatus, price: ReceiptPrice | undefined) => {
    const currency = price?.currency === undefined ? undefined : await currencyOf(ref.storeId);
    // A price in another currency than the store's is not its cost: left unset.
    const reportedCost = price && (price.currency === undefined || price.currency === currency);
    await applyQuietly(
      projection,
      {
        kind: 'receipt',
        storeId: ref.storeId,
        sentAt: Date.parse(ref.sentAt),
        country: ref.country,
        gatewayId: ref.gatewayId,
        status,
        ...(reportedCost ? { reportedCost: price.amount } : {}),
      },
      telemetry,
      'code.delivery',
    );
  };
}

async function applyQuietly(
  projection: Pick<UsageProjection, 'apply'>,
  fact: UsageFact,
  telemetry: Telemetry,
  eventType: string,
): Promise<void> {
  await projection.apply(fact).catch((error: unknown) =>
    sideEffectFailed(telemetry, 'usage-counter', error, {
      eventType,
      storeId: fact.storeId,
      ...('challengeId' in fact && fact.challengeId ? { challengeId: fact.challengeId } : {}),
    }),
  );
}

/** The fact an event carries: a provider attempt (`code.sent`) or an approval. */
export function factOfEvent(event: DomainEvent): UsageFact | undefined {
  const data = event.data as Record<string, unknown>;
  const text = (name: string) => (typeof data[name] === 'string' ? (data[name] as string) : undefined);
  const storeId = text('storeId');
  if (!storeId) return undefined;
  const challengeId = text('challengeId');
  if (event.type === 'challenge.approved') {
    return challengeId ? { kind: 'approved', storeId, challengeId } : undefined;
  }
  if (event.type !== 'code.sent') return undefined;
  const gatewayId = text('gatewayId');
  const outcome = text('outcome');
  if (!gatewayId || (outcome !== 'accepted' && outcome !== 'refused' && outcome !== 'unknown'))
    return undefined;
  const cost = data.estimatedCost as { amount?: unknown } | undefined;
  return {
    kind: 'attempt',
    storeId,
    ...(challengeId ? { challengeId } : {}),
    at: Date.parse(event.timestamp),
    country: text('country'),
    gatewayId,
    channel: text('channel') === 'voice' ? 'voice' : 'sms',
    outcome,
    cost: typeof cost?.amount === 'number' ? toMillionths(cost.amount) : 0,
    test: data.test === true,
  };
}
