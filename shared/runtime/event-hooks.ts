import type { EventData, EventType } from '../domain/events/event-types.ts';
import { context } from './context.ts';
import { events } from './wiring/events.ts';

/** Before an answer: every event the request caused is published (locally: in `events.jsonl`). */
export async function settleEvents(): Promise<void> {
  // A route whose feature emitted nothing has built no event log: nothing to wait for.
  await events.built()?.log.settled();
}

/** Deployed: the caller's IAM principal ARN (API Gateway's IAM authorizer context); locally `local-admin`. */
export function adminActor(requestContext: unknown): string {
  const arn = (requestContext as { authorizer?: { iam?: { userArn?: unknown } } } | undefined)?.authorizer
    ?.iam?.userArn;
  return typeof arn === 'string' && arn ? arn : context().strategies.defaultActor;
}

export function emitAudit(type: EventType, data: EventData): void {
  events().log.emit(type, data);
}
