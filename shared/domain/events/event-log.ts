import type { Clock } from '../../ports/clock.ts';
import type { EventPort, EventPublisher } from '../../ports/events.ts';
import type { Random } from '../../ports/random.ts';
import type { Telemetry } from '../../ports/telemetry.ts';
import { newEvent, type DomainEvent } from './event.ts';
import type { EventData, EventType } from './event-types.ts';

/**
 * Waits after a failed publication before the next attempt. A publication that fails is usually a
 * throttled or briefly unavailable bus; some events follow a write that makes them once-only (the
 * `expired` report marks its challenge first), so giving up at the first failure would lose them.
 */
export const PUBLISH_RETRY_DELAYS_MS = [100, 400] as const;

/**
 * The event port's one implementation: builds and checks each event (event-guard.ts), starts its
 * publication at once and remembers it until `settled()`, which the HTTP pipeline awaits before it
 * answers. So publishing overlaps the use case's remaining work instead of following it.
 */
export class EventLog implements EventPort {
  private readonly pending = new Set<Promise<void>>();

  constructor(
    private readonly publisher: EventPublisher,
    private readonly clock: Clock,
    private readonly random: Random,
    private readonly telemetry: Telemetry,
    private readonly wait: (ms: number) => Promise<void> = (ms) =>
      new Promise((ok) => setTimeout(ok, ms).unref()),
  ) {}

  emit(type: EventType, data: EventData): void {
    const event = newEvent(type, data, this.clock, this.random);
    this.track(event);
  }

  /**
   * Every publication started so far has ended (a failed one is counted, never thrown). Only those: in a
   * process that serves requests concurrently (local mode), one answer does not wait for later requests.
   */
  async settled(): Promise<void> {
    await Promise.all([...this.pending]);
  }

  private track(event: DomainEvent): void {
    const publication = this.publishWithRetries(event).catch(() => {
      this.telemetry.count('EventPublishFailed', { type: event.type });
    });
    this.pending.add(publication);
    void publication.finally(() => this.pending.delete(publication));
  }

  /** The same event (same id, so consumers can drop a duplicate) until it is accepted or the retries end. */
  private async publishWithRetries(event: DomainEvent): Promise<void> {
    for (const delay of PUBLISH_RETRY_DELAYS_MS) {
      try {
        return await this.publisher.publish(event);
      } catch {
        this.telemetry.count('EventPublishRetried', { type: event.type });
        await this.wait(delay);
      }
    }
    await this.publisher.publish(event);
  }
}
