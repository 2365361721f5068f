import type { EventData, EventType } from '../domain/events/event-types.ts';

interface RegisteredLog {
  emit(type: EventType, data: EventData): void;
  settled(): Promise<void>;
}

/**
 * The seam between the HTTP pipeline and the event log, without the pipeline importing the composition
 * root: the container registers its log here; the pipeline emits audit events and waits for every
 * publication before it answers.
 */
let registered: { log: RegisteredLog; defaultActor: string } | undefined;

export function registerEventLog(log: RegisteredLog, defaultActor: string): void {
  registered = { log, defaultActor };
}

/** Before an answer: every event the request caused is published (locally: in `events.jsonl`). */
export async function settleEvents(): Promise<void> {
  await registered?.log.settled();
}

/** Deployed: the caller's IAM principal ARN (API Gateway's IAM authorizer context); locally `local-admin`. */
export function adminActor(requestContext: unknown): string {
  const arn = (requestContext as { authorizer?: { iam?: { userArn?: unknown } } } | undefined)?.authorizer
    ?.iam?.userArn;
  return typeof arn === 'string' && arn ? arn : (registered?.defaultActor ?? 'unknown');
}

export function emitAudit(type: EventType, data: EventData): void {
  registered?.log.emit(type, data);
}
