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
 * Waits after a failed publication before the next attempt. A publication that fails is usually a
 * throttled or briefly unavailable bus; some events follow a write that makes them once-only (the
 * `expired` report marks its challenge first), so giving up at the first failure would lose them.
 */
export const PUBLISH_RETRY_DELAYS_MS = [100, 400] as const;

/**
 * The event port's one implementation: checks each event (event-guard.ts), builds it, starts its
 * publication at once and remembers it until `settled()`, which the HTTP pipeline awaits before it
 * answers. So publishing overlaps the use case's remaining work instead of following it.
 *
 * Events are a side path: `emit` never throws and a publication never fails `settled()`. A refused
 * event is not emitted; a failed publication is tried again (PUBLISH_RETRY_DELAYS_MS); each that still
 * fails is logged and counted
 * (`SideEffectFailed`, kinds `event-guard` and `event-publish`), and the request's answer stands.
 */
export class EventLog implements EventPort {
  private readonly pending = new Set<Promise<void>>();

  constructor(
    private readonly publisher: EventPublisher,
    private readonly clock: Clock,
    private readonly random: Random,
    private readonly telemetry: Telemetry,
    private readonly options: {
      guard?: EventGuard;
      wait?: (ms: number) => Promise<void>;
    } = {},
  ) {}

  /** `identity`: the id and time the event must carry (an audit record's, so both name the same change). */
  emit(type: EventType, data: EventData, identity?: { id: string; at: number }): void {
    const context = contextOf(type, data);
    try {
      const findings = (this.options.guard ?? secretsIn)(data);
      if (findings.length > 0) throw new EventDataRefused(findings);
    } catch (error) {
      sideEffectFailed(this.telemetry, 'event-guard', error, context);
      return;
    }
    this.track(() => newEvent(type, data, this.clock, this.random, identity), context);
  }

  /**
   * Every publication started so far has ended (a failed one is counted, never thrown). Only those: in a
   * process that serves requests concurrently (local mode), one answer does not wait for later requests.
   */
  async settled(): Promise<void> {
    await Promise.all([...this.pending]);
  }

  private track(event: () => DomainEvent, context: SideEffectContext): void {
    const publication = this.publishWithRetries(event).catch((error: unknown) =>
      sideEffectFailed(this.telemetry, 'event-publish', error, context),
    );
    this.pending.add(publication);
    void publication.finally(() => this.pending.delete(publication));
  }

  /** The same event (same id, so consumers can drop a duplicate) until it is accepted or the retries end. */
  private async publishWithRetries(build: () => DomainEvent): Promise<void> {
    const event = build();
    const wait = this.options.wait ?? realWait;
    for (const delay of PUBLISH_RETRY_DELAYS_MS) {
      try {
        return await started(() => this.publisher.publish(event));
      } catch {
        this.telemetry.count('EventPublishRetried', { type: event.type });
        await wait(delay);
      }
    }
    await started(() => this.publisher.publish(event));
  }
}

const realWait = (ms: number) => new Promise<void>((ok) => setTimeout(ok, ms).unref());

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
