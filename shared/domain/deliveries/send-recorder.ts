import type { DomainEvent, EventPublisher } from '../../ports/events.ts';
import type { SendHistory } from '../../ports/send-history.ts';
import type { Telemetry } from '../../ports/telemetry.ts';
import type { SendAttemptOutcome } from '../events/event-types.ts';
import { sideEffectFailed, type SideEffectKind } from '../side-effects.ts';
import type { ChallengeEnd, ChallengeSummary, MessageRef, SendRecord, SendUsage } from './send-record.ts';
import { toMillionths } from '../fraud/spend.ts';
import type { Route } from '../sending/route-choice.ts';

const isRoute = (value: unknown): value is Route =>
  typeof value === 'object' && value !== null && 'mode' in value && 'choice' in value;

/**
 * Writes each challenge send's record (and its receipt pointer) from its `code.sent` event, in parallel
 * with the event's publication. The provider message id exists only once the provider has answered, and
 * the issue's own writes are all made before that: this way the record costs the send no round trip of
 * its own, since the answer already waits for its events (EventLog.settled). Both are side paths: one
 * that cannot be written is logged and counted (`SideEffectFailed`, kinds `send-record` and
 * `receipt-pointer`), never thrown: the code is out either way.
 */
export class SendRecorder implements EventPublisher {
  constructor(
    private readonly inner: EventPublisher,
    private readonly history: Pick<SendHistory, 'recordSend' | 'recordMessage' | 'recordEnd'>,
    private readonly telemetry: Telemetry,
    /**
     * `deferred` (deployed): an approval's ending is written by the `challenge.approved` consumer
     * (DeferredUncount), not beside verify's answer, so a successful verify stays one round trip.
     */
    private readonly approvalEnds: 'inline' | 'deferred' = 'inline',
  ) {}

  async publish(event: DomainEvent): Promise<void> {
    await Promise.all([this.inner.publish(event), this.record(event)]);
  }

  private async record(event: DomainEvent): Promise<void> {
    const ended = endOf(event);
    if (ended && ended.end.status === 'approved' && this.approvalEnds === 'deferred') return;
    if (ended) {
      await this.history.recordEnd(ended.storeId, ended.challengeId, ended.end).catch((error: unknown) =>
        sideEffectFailed(this.telemetry, 'send-record', error, {
          eventType: event.type,
          storeId: ended.storeId,
          challengeId: ended.challengeId,
        }),
      );
      return;
    }
    const sent = event.type === 'code.sent' ? sendOf(event) : undefined;
    if (!sent) return;
    const context = { eventType: event.type, storeId: sent.storeId, challengeId: sent.challengeId };
    const failed = (kind: SideEffectKind) => (error: unknown) =>
      sideEffectFailed(this.telemetry, kind, error, context);
    const { ref } = sent;
    // Two items in parallel: one round trip.
    await Promise.all([
      this.history
        .recordSend(sent.storeId, sent.challengeId, sent.send, sent.summary, sent.usage)
        .catch(failed('send-record')),
      ref ? this.history.recordMessage(ref).catch(failed('receipt-pointer')) : undefined,
    ]);
  }
}

/**
 * The ending a `challenge.approved` or `challenge.failed` event reports. An expiry is left out: a
 * challenge whose item is gone without a recorded ending expired (and the expiry reporter may not write).
 */
function endOf(event: DomainEvent) {
  if (event.type !== 'challenge.approved' && event.type !== 'challenge.failed') return undefined;
  const data = event.data as Record<string, unknown>;
  const { storeId, challengeId, reason, attempts } = data;
  if (typeof storeId !== 'string' || typeof challengeId !== 'string' || reason === 'expired')
    return undefined;
  const status: ChallengeEnd['status'] =
    event.type === 'challenge.approved' ? 'approved' : reason === 'closed' ? 'closed' : 'failed';
  const end: ChallengeEnd = {
    status,
    at: event.timestamp,
    ...(typeof attempts === 'number' ? { attempts } : {}),
  };
  return { storeId, challengeId, end };
}

/** The record and pointer a `code.sent` event of a challenge describes (a relayed code has no challenge). */
function sendOf(event: DomainEvent) {
  const data = event.data as Record<string, unknown>;
  const text = (name: string) => (typeof data[name] === 'string' ? (data[name] as string) : undefined);
  const storeId = text('storeId');
  const challengeId = text('challengeId');
  const gatewayId = text('gatewayId');
  const gatewayType = text('gatewayType');
  if (!storeId || !challengeId || !gatewayId || !gatewayType) return undefined;
  const providerMessageId = text('providerMessageId') ?? null;
  const attempt = typeof data.attempt === 'number' ? data.attempt : 1;
  const send: SendRecord = {
    at: event.timestamp,
    attempt,
    gatewayId,
    gatewayType,
    providerMessageId,
    outcome: (text('outcome') ?? 'unknown') as SendAttemptOutcome,
    ...(isRoute(data.route) ? { route: data.route } : {}),
    ...(text('codeExpiresAt') ? { codeExpiresAt: text('codeExpiresAt') } : {}),
    ...(text('country') ? { country: text('country') } : {}),
    channel: text('channel') === 'voice' ? 'voice' : 'sms',
  };
  const userId = text('userId');
  const country = text('country');
  const ref: MessageRef | null = providerMessageId
    ? {
        storeId,
        challengeId,
        sentAt: event.timestamp,
        attempt,
        gatewayId,
        gatewayType,
        providerMessageId,
        ...(userId ? { userId } : {}),
        purpose: text('purpose') ?? 'unknown',
        maskedPhone: text('maskedPhone') ?? '',
        ...(country ? { country } : {}),
      }
    : null;
  const summary: ChallengeSummary = {
    purpose: text('purpose') ?? 'unknown',
    ...(userId ? { userId } : {}),
    maskedPhone: text('maskedPhone') ?? '',
    test: data.test === true,
  };
  const cost = data.estimatedCost as { amount?: unknown } | undefined;
  const usage: SendUsage = {
    ...(country ? { country } : {}),
    estimatedCost: typeof cost?.amount === 'number' ? toMillionths(cost.amount) : 0,
    channel: text('channel') === 'voice' ? 'voice' : 'sms',
  };
  return { storeId, challengeId, send, ref, summary, usage };
}
