import type { EventPort } from '../../ports/events.ts';
import type { FailureReason } from '../events/event-types.ts';
import { maskPhone, parsePhone } from '../phone.ts';
import { estimateCost } from '../sending/price-estimate.ts';
import type { AttemptReport } from '../sending/sms-delivery.ts';
import type { Channel } from '../gateways/gateway-types.ts';
import { messageInfo } from '../sms-encoding.ts';
import type { ChallengePurpose, ChallengeRecord } from './challenge.ts';

/** The fields every challenge event carries: ids, the masked number and its country; never the number. */
export interface ChallengeSubject {
  storeId: string;
  challengeId: string;
  userId: string | null;
  purpose: ChallengePurpose;
  phone: string;
}

export const subjectOfRecord = (challenge: ChallengeRecord): ChallengeSubject => ({
  storeId: challenge.storeId,
  challengeId: challenge.id,
  userId: challenge.userId,
  purpose: challenge.purpose,
  phone: challenge.phone,
});

export function challengeData(subject: ChallengeSubject) {
  const country = parsePhone(subject.phone)?.country;
  return {
    storeId: subject.storeId,
    challengeId: subject.challengeId,
    ...(subject.userId ? { userId: subject.userId } : {}),
    purpose: subject.purpose,
    maskedPhone: maskPhone(subject.phone),
    ...(country ? { country } : {}),
  };
}

/**
 * The events of the challenge lifecycle, named once. `test`: the code went to a test number (issue 12
 * sets it); `source`: who asked for the send (a relay, issue 18).
 */
export class ChallengeEvents {
  constructor(private readonly events: EventPort) {}

  /** `expiresAt`: deployed, the expiry check is scheduled from it (a resend moves it later). */
  created(subject: ChallengeSubject, expiresAt: number): void {
    this.events.emit('challenge.created', {
      ...challengeData(subject),
      expiresAt: new Date(expiresAt).toISOString(),
    });
  }

  codeSent(subject: ChallengeSubject, body: string, report: AttemptReport, extra: SendExtra = {}): void {
    this.events.emit('code.sent', codeSentData(challengeData(subject), body, report, extra));
  }

  approved(subject: ChallengeSubject, attempts: number): void {
    this.events.emit('challenge.approved', { ...challengeData(subject), attempts });
  }

  /** Callers emit this where the failure is decided once (the one write that decides it). */
  failed(subject: ChallengeSubject, reason: FailureReason): void {
    this.events.emit('challenge.failed', { ...challengeData(subject), reason });
  }
}

/** What `code.sent` adds of its send: `test`, `source` (who asked), the channel and, for a call, its price. */
export interface SendExtra {
  test?: boolean;
  source?: string;
  /** Default `sms`. */
  channel?: Channel;
  /** A call's price in millionths (the send plan's); an SMS is estimated from its segments. */
  cost?: number;
}

/**
 * `code.sent` for one provider request: what `base` names (a challenge, or a relay's integration) plus
 * the attempt, its segments and estimated cost, `test`, `source` and `channel`. A call is one unit at
 * the call price.
 */
export function codeSentData(
  base: { country?: string } & Record<string, unknown>,
  body: string,
  report: AttemptReport,
  extra: SendExtra = {},
) {
  const channel = extra.channel ?? 'sms';
  const segments = channel === 'voice' ? 1 : messageInfo(body).segments;
  const cost =
    extra.test || channel !== 'voice'
      ? undefined
      : { amount: (extra.cost ?? 0) / 1_000_000, currency: 'USD' };
  return {
    ...base,
    gatewayId: report.gatewayId,
    gatewayType: report.gatewayType,
    attempt: report.attempt,
    outcome: report.outcome,
    ...(report.providerMessageId ? { providerMessageId: report.providerMessageId } : {}),
    segments,
    estimatedCost: extra.test
      ? { amount: 0, currency: 'USD' }
      : (cost ?? estimateCost(base.country, segments)),
    test: extra.test ?? false,
    ...(extra.source ? { source: extra.source } : {}),
    channel,
  };
}

/** Factor events: the user's masked number, never the number. */
export function factorData(storeId: string, userId: string, phone: string | undefined) {
  const country = phone ? parsePhone(phone)?.country : undefined;
  return {
    storeId,
    userId,
    ...(phone ? { maskedPhone: maskPhone(phone) } : {}),
    ...(country ? { country } : {}),
  };
}
