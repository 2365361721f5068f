import type { Clock } from '../../ports/clock.ts';
import type { SendHistory } from '../../ports/send-history.ts';
import type { SendRecord } from '../deliveries/send-record.ts';
import { NotFound } from '../errors.ts';
import { maskPhone } from '../phone.ts';
import { approvalOf, type ChallengePurpose, type ChallengeRecord } from './challenge.ts';

export type HistoryStatus = 'pending' | 'approved' | 'failed' | 'expired' | 'closed';

/** A challenge as the admin API shows it: its state and every provider attempt of its codes. */
export interface ChallengeHistoryView {
  id: string;
  purpose: ChallengePurpose;
  userId?: string;
  maskedPhone: string;
  status: HistoryStatus;
  createdAt: string;
  approvedAt?: string;
  attempts: number;
  test: boolean;
  sends: (Omit<SendRecord, 'attempt' | 'channel'> & { channel: 'sms' | 'voice' })[];
}

/**
 * Where a challenge ended, read from the fields its writes leave: an approval wins; a failed send kills
 * (attempts = maxAttempts with closedAt), other closings only close; then exhausted attempts or a
 * factor lock, then the expiry.
 */
export function historyStatus(challenge: ChallengeRecord, now: number): HistoryStatus {
  if (approvalOf(challenge)) return 'approved';
  const exhausted = challenge.attempts >= challenge.maxAttempts;
  if (challenge.closedAt !== undefined) return exhausted ? 'failed' : 'closed';
  if (exhausted || (challenge.lockedUntil !== undefined && challenge.lockedUntil > now)) return 'failed';
  return challenge.expiresAt <= now ? 'expired' : 'pending';
}

/** `GET /admin/identity-stores/{storeId}/challenges/{challengeId}`: another store's challenge is unknown. */
export class ChallengeHistory {
  constructor(private readonly deps: { history: SendHistory; clock: Clock }) {}

  async get(storeId: string, challengeId: string): Promise<ChallengeHistoryView> {
    const found = await this.deps.history.history(challengeId);
    if (!found || found.storeId !== storeId) throw new NotFound('The challenge');
    // The attempt number, the code's expiry and the country are bookkeeping, not part of the answer.
    const sends = found.sends.map(
      ({ attempt: _attempt, codeExpiresAt: _expiry, country: _country, ...send }) => ({
        ...send,
        channel: send.channel ?? 'sms',
      }),
    );
    const { challenge } = found;
    if (!challenge) {
      // Its item outlived its last code by an hour; its sends, and so its history, last a week.
      if (!found.summary || sends.length === 0) throw new NotFound('The challenge');
      const { summary, end } = found;
      return {
        id: challengeId,
        purpose: summary.purpose as ChallengePurpose,
        ...(summary.userId ? { userId: summary.userId } : {}),
        maskedPhone: summary.maskedPhone,
        status: end?.status ?? 'expired',
        // The first send follows the challenge's creation by the provider's answer time.
        createdAt: sends[0]!.at,
        ...(end?.status === 'approved' ? { approvedAt: end.at } : {}),
        attempts: end?.attempts ?? 0,
        test: summary.test,
        sends,
      };
    }
    const approval = approvalOf(challenge);
    return {
      id: challenge.id,
      purpose: challenge.purpose,
      ...(challenge.userId ? { userId: challenge.userId } : {}),
      maskedPhone: maskPhone(challenge.phone),
      status: historyStatus(challenge, this.deps.clock.now().getTime()),
      createdAt: challenge.createdAt,
      ...(approval ? { approvedAt: new Date(approval.at).toISOString() } : {}),
      attempts: challenge.attempts,
      test: challenge.test ?? false,
      sends,
    };
  }
}
