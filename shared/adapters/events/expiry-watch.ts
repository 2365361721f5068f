import type { ExpiryCheck } from '../../domain/challenges/report-expiry.ts';
import type { DomainEvent } from '../../domain/events/event.ts';
import type { Clock } from '../../ports/clock.ts';
import type { EventPublisher } from '../../ports/events.ts';

/** How often the local watcher looks: well within the 5 minutes api.md allows after an expiry. */
export const EXPIRY_SWEEP_MS = 30_000;

/**
 * Local mode's in-process expiry watcher: a publisher in front of the real one that notes every new
 * challenge and, every 30 s, asks `report` about those whose expiry has come (a resend moves it later).
 * It knows only the challenges this process created; the timer starts with the first and never holds
 * the process open.
 */
export class ExpiryWatch implements EventPublisher {
  private readonly due = new Map<string, number>();
  private timer: ReturnType<typeof setInterval> | undefined;
  private sweeping: Promise<void> | undefined;
  private report: ((challengeId: string) => Promise<ExpiryCheck>) | undefined;

  constructor(
    private readonly inner: EventPublisher,
    private readonly clock: Clock,
  ) {}

  /** The use case comes after the event log it emits through, which is built on this publisher. */
  reportWith(report: (challengeId: string) => Promise<ExpiryCheck>): void {
    this.report = report;
  }

  async publish(event: DomainEvent): Promise<void> {
    await this.inner.publish(event);
    const { challengeId } = event.data;
    if (event.type !== 'challenge.created' || typeof challengeId !== 'string') return;
    // Its expiry is read at the first look.
    this.due.set(challengeId, this.clock.now().getTime());
    this.timer ??= setInterval(() => void this.sweep(), EXPIRY_SWEEP_MS).unref();
  }

  /** One look at every challenge that is due; overlapping calls share one pass. */
  sweep(): Promise<void> {
    this.sweeping ??= this.pass().finally(() => (this.sweeping = undefined));
    return this.sweeping;
  }

  private async pass(): Promise<void> {
    const report = this.report;
    if (!report) return;
    const now = this.clock.now().getTime();
    for (const [challengeId, at] of [...this.due]) {
      if (at > now) continue;
      // A failed look (DynamoDB Local busy) is tried again on the next pass.
      const check = await report(challengeId).catch(() => ({ kind: 'later', at: now }) as const);
      if (check.kind === 'later') this.due.set(challengeId, check.at);
      else this.due.delete(challengeId);
    }
  }
}
