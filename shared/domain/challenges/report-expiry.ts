import type { ChallengeStore } from '../../ports/challenge-store.ts';
import type { Clock } from '../../ports/clock.ts';
import { noEvents, type EventPort } from '../../ports/events.ts';
import { expiredUnreported, isOpen } from './challenge.ts';
import { ChallengeEvents, subjectOfRecord } from './challenge-events.ts';

/** `later`: still open, look again at `at` (a resend moves the expiry); `done`: nothing more to report. */
export type ExpiryCheck = { kind: 'reported' } | { kind: 'later'; at: number } | { kind: 'done' };

/**
 * Emits `challenge.failed` with reason `expired` for a challenge that expired while open: no request
 * notices an expiry, so a watcher calls this at (or soon after) each challenge's expiry. The conditional
 * mark makes it once, however many watchers look; any other ending came first and reported itself.
 */
export class ReportExpiry {
  private readonly events: ChallengeEvents;

  constructor(private readonly deps: { challenges: ChallengeStore; clock: Clock; events?: EventPort }) {
    this.events = new ChallengeEvents(deps.events ?? noEvents);
  }

  async run(challengeId: string): Promise<ExpiryCheck> {
    const now = this.deps.clock.now().getTime();
    const challenge = await this.deps.challenges.get(challengeId);
    if (!challenge) return { kind: 'done' };
    if (isOpen(challenge, now)) return { kind: 'later', at: challenge.expiresAt };
    if (!expiredUnreported(challenge, now)) return { kind: 'done' };
    if (!(await this.deps.challenges.markExpiryReported(challengeId, now))) return { kind: 'done' };
    this.events.failed(subjectOfRecord(challenge), 'expired');
    return { kind: 'reported' };
  }
}
