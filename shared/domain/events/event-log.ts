import type { Clock } from '../../ports/clock.ts';
import type { EventPort, EventPublisher } from '../../ports/events.ts';
import type { Random } from '../../ports/random.ts';
import type { Telemetry } from '../../ports/telemetry.ts';
import { sideEffectFailed, type SideEffectContext } from '../side-effects.ts';
import { EventDataRefused, secretsIn } from './event-guard.ts';
import { newEvent, type DomainEvent } from './event.ts';
import type { EventData, EventType } from './event-types.ts';

/** What refuses an event's data: its findings (field paths), none when the data may go out. */
export type EventGuard = (data: EventData) => string[];

/**
 * The event port's one implementation: checks each event (event-guard.ts), builds it, starts its
 * publication at once and remembers it until `settled()`, which the HTTP pipeline awaits before it
 * answers. So publishing overlaps the use case's remaining work instead of following it.
 *
 * Events are a side path: `emit` never throws and a publication never fails `settled()`. A refused
 * event is not emitted and a failed publication is not retried; each is logged and counted
 * (`SideEffectFailed`, kinds `event-guard` and `event-publish`), and the request's answer stands.
 */
export class EventLog implements EventPort {
  private readonly pending = new Set<Promise<void>>();

  constructor(
    private readonly publisher: EventPublisher,
    private readonly clock: Clock,
    private readonly random: Random,
    private readonly telemetry: Telemetry,
    private readonly guard: EventGuard = secretsIn,
  ) {}

  emit(type: EventType, data: EventData): void {
    const context = contextOf(type, data);
    try {
      const findings = this.guard(data);
      if (findings.length > 0) throw new EventDataRefused(findings);
    } catch (error) {
      sideEffectFailed(this.telemetry, 'event-guard', error, context);
      return;
    }
    this.track(() => newEvent(type, data, this.clock, this.random), context);
  }

  /**
   * Every publication started so far has ended (a failed one is counted, never thrown). Only those: in a
   * process that serves requests concurrently (local mode), one answer does not wait for later requests.
   */
  async settled(): Promise<void> {
    await Promise.all([...this.pending]);
  }

  private track(event: () => DomainEvent, context: SideEffectContext): void {
    const publication = started(() => this.publisher.publish(event())).catch((error: unknown) =>
      sideEffectFailed(this.telemetry, 'event-publish', error, context),
    );
    this.pending.add(publication);
    void publication.finally(() => this.pending.delete(publication));
  }
}

/** Work that throws before it returns its promise fails the same way as work that rejects. */
function started(publish: () => Promise<void>): Promise<void> {
  try {
    return publish();
  } catch (error) {
    return Promise.reject(error);
  }
}

/** The ids a failure's log line may name: never the `userId`. */
function contextOf(type: EventType, data: EventData): SideEffectContext {
  const text = (value: unknown) => (typeof value === 'string' ? value : undefined);
  return { eventType: type, storeId: text(data.storeId), challengeId: text(data.challengeId) };
}
