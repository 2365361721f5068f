import type { Clock } from '../../ports/clock.ts';
import type { Random } from '../../ports/random.ts';
import { newId } from '../ids.ts';
import { EVENT_VERSION, type EventData, type EventType } from './event-types.ts';

/**
 * One event, as `events.jsonl`, the bus and webhooks carry it: `{ id, type, timestamp, data }`, with
 * `version` the catalogue's version. `data.storeId` names the identity store it belongs to (none for
 * gateway audit events), which decides the webhooks that receive it.
 */
export interface DomainEvent {
  id: string;
  type: EventType;
  version: number;
  timestamp: string;
  data: EventData;
}

export const EVENT_ID_PREFIX = 'evt';

/** Builds an event. The event log checks its data first (event-guard.ts), and emits only through here. */
export function newEvent(
  type: EventType,
  data: EventData,
  clock: Clock,
  random: Random,
  identity?: { id: string; at: number },
): DomainEvent {
  return {
    id: identity?.id ?? newId(EVENT_ID_PREFIX, clock, random),
    type,
    version: EVENT_VERSION,
    timestamp: new Date(identity?.at ?? clock.now().getTime()).toISOString(),
    data,
  };
}

/** What a webhook or `events.jsonl` line carries. */
export const eventLine = (event: DomainEvent) => ({
  id: event.id,
  type: event.type,
  timestamp: event.timestamp,
  data: event.data,
});

/** The webhook body (Standard Webhooks: `{ type, timestamp, data }`). */
export const webhookPayload = (event: DomainEvent) => ({
  type: event.type,
  timestamp: event.timestamp,
  data: event.data,
});
