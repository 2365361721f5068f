import type { DomainEvent } from '../domain/events/event.ts';
import type { EventData, EventType } from '../domain/events/event-types.ts';

export type { DomainEvent } from '../domain/events/event.ts';
export type { EventData, EventType } from '../domain/events/event-types.ts';

/**
 * What use cases emit through. `emit` never blocks the caller and never throws for delivery problems:
 * the event is published in parallel with whatever the use case does next, and the HTTP pipeline waits
 * for every publication it started before it answers (so `events.jsonl` holds an event before the answer
 * that caused it). Fraud guard (`send.blocked`, `send.flagged`), applications and relays emit here too.
 */
export interface EventPort {
  /** `identity`: the id and time the event must carry (an audit record's, so both name the same change). */
  emit(type: EventType, data: EventData, identity?: { id: string; at: number }): void;
}

/** Where events go: `events.jsonl` (+ webhooks) locally, the EventBridge bus deployed. */
export interface EventPublisher {
  publish(event: DomainEvent): Promise<void>;
}

export const noEvents: EventPort = { emit: () => undefined };
