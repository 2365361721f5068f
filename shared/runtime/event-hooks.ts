import type { EventData, EventType } from '../domain/events/event-types.ts';
import { readConfig } from './config.ts';
import { currentContext, EVENTS } from './context-slot.ts';
import { chooseStrategies } from './strategies.ts';

/** An event that must carry the id and time of what it reports (an audit record). */
export interface EventIdentity {
  id: string;
  at: number;
}

interface EventSeam {
  log: { emit(type: EventType, data: EventData, identity?: EventIdentity): void; settled(): Promise<void> };
}

/**
 * Before an answer: every event the request caused is published (locally: in `events.jsonl`). A route
 * whose feature emitted nothing has built no event log, and has nothing to wait for.
 */
export async function settleEvents(): Promise<void> {
  await currentContext()?.peek<EventSeam>(EVENTS)?.log.settled();
}

/**
 * `work`, then every event it emitted published, also when it throws: what a function that is not an
 * HTTP route (a queue consumer, a Cognito trigger, an asynchronous invocation) runs before it returns,
 * since Lambda may freeze the process right after and a publication still in flight would be lost.
 */
export async function withEventsSettled<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } finally {
    await settleEvents();
  }
}

/** Deployed: the caller's IAM principal ARN (API Gateway's IAM authorizer context); locally `local-admin`. */
export function adminActor(requestContext: unknown): string {
  const arn = (requestContext as { authorizer?: { iam?: { userArn?: unknown } } } | undefined)?.authorizer
    ?.iam?.userArn;
  if (typeof arn === 'string' && arn) return arn;
  return (currentContext()?.strategies ?? chooseStrategies(readConfig())).defaultActor;
}

/**
 * An admin write's audit event. Its feature's wiring built the event log (wiring/events.ts `audited`):
 * a route without one is a wiring mistake, which fails loudly rather than dropping the audit trail.
 */
export function emitAudit(type: EventType, data: EventData, identity?: EventIdentity): void {
  const seam = currentContext()?.peek<EventSeam>(EVENTS);
  if (!seam) throw new Error(`${type}: the route's feature wiring built no event log (use audited())`);
  seam.log.emit(type, data, identity);
}
