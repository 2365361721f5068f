import type { EventPort } from '../../ports/events.ts';
import type { FailureReason } from '../events/event-types.ts';
import { maskPhone } from '../phone.ts';
import { fromMillionths } from '../sending/prices.ts';
import type { AttemptReport } from '../sending/sms-delivery.ts';
import type { Channel } from '../gateways/gateway-types.ts';
import { messageInfo } from '../sms-encoding.ts';
import type { ChallengePurpose, ChallengeRecord } from './challenge.ts';
import type { Route } from '../sending/route-choice.ts';

/**
 * The fields every challenge event carries: ids, the masked number and its country; never the number.
 * The country is the one the send parsed (stored on the challenge), so no reader parses the number again.
 */
export interface ChallengeSubject {
  storeId: string;
  challengeId: string;
  userId: string | null;
  purpose: ChallengePurpose;
  phone: string;
  country?: string | undefined;
}

export const subjectOfRecord = (challenge: ChallengeRecord): ChallengeSubject => ({
  storeId: challenge.storeId,
  challengeId: challenge.id,
  userId: challenge.userId,
  purpose: challenge.purpose,
  phone: challenge.phone,
  ...(challenge.country ? { country: challenge.country } : {}),
});

export function challengeData(subject: ChallengeSubject) {
  const { country } = subject;
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

  codeSent(subject: ChallengeSubject, body: string, report: AttemptReport, extra: CodeSentExtra): void {
    this.events.emit('code.sent', codeSentData(challengeData(subject), body, report, extra));
  }

  /** `codeExpiresAt`: the verifying code's expiry, which names the send (and gateway) it came with. */
  approved(subject: ChallengeSubject, attempts: number, codeExpiresAt?: number): void {
    this.events.emit('challenge.approved', {
      ...challengeData(subject),
      attempts,
      ...(codeExpiresAt !== undefined ? { codeExpiresAt: new Date(codeExpiresAt).toISOString() } : {}),
    });
  }

  /** Callers emit this where the failure is decided once (the one write that decides it). */
  failed(subject: ChallengeSubject, reason: FailureReason): void {
    this.events.emit('challenge.failed', { ...challengeData(subject), reason });
  }
}

/**
 * What `code.sent` adds to its attempt: a test number, who asked, its estimated cost (the send plan's
 * price rule), why this gateway, the channel, and the code's expiry.
 */
export interface CodeSentExtra {
  test?: boolean;
  source?: string;
  /** In millionths of `currency`: send-plan.ts `costThrough` the attempt's gateway. */
  cost: number;
  currency: string;
  route?: Route;
  /** Default `sms`; a call is one unit (segments 1) at the call price. */
  channel?: Channel;
  /** The expiry of the code the message carries: the approval names it, so it credits this send's gateway. */
  codeExpiresAt?: number;
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
  extra: CodeSentExtra,
) {
  const channel = extra.channel ?? 'sms';
  const segments = channel === 'voice' ? 1 : messageInfo(body).segments;
  return {
    ...base,
    gatewayId: report.gatewayId,
    gatewayType: report.gatewayType,
    attempt: report.attempt,
    outcome: report.outcome,
    ...(report.providerMessageId ? { providerMessageId: report.providerMessageId } : {}),
    segments,
    estimatedCost: { amount: extra.test ? 0 : fromMillionths(extra.cost), currency: extra.currency },
    test: extra.test ?? false,
    ...(extra.source ? { source: extra.source } : {}),
    ...(extra.route ? { route: extra.route } : {}),
    ...(extra.codeExpiresAt !== undefined
      ? { codeExpiresAt: new Date(extra.codeExpiresAt).toISOString() }
      : {}),
    channel,
  };
}

/** Factor events: the user's masked number and its country as stored with it, never the number. */
export function factorData(
  storeId: string,
  userId: string,
  phone: string | undefined,
  country?: string | null,
) {
  return {
    storeId,
    userId,
    ...(phone ? { maskedPhone: maskPhone(phone) } : {}),
    ...(phone && country ? { country } : {}),
  };
}
