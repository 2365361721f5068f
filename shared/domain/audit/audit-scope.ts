import { AsyncLocalStorage } from 'node:async_hooks';
import type { Clock } from '../../ports/clock.ts';
import type { Random } from '../../ports/random.ts';
import { EVENT_ID_PREFIX } from '../events/event.ts';
import type { AuditEventType } from '../events/event-types.ts';
import { newId } from '../ids.ts';
import type { AuditData, AuditRecord } from '../support/audit-record.ts';

/** What an admin route says about its audit (operations/operation.ts `AuditSpec`). */
export interface AuditSpecLike {
  readonly type: AuditEventType;
  readonly subject: string;
  readonly rangeParam?: string;
}

/**
 * An admin write's audit, known before the write: its type, the caller, the route's ids, and which id
 * names the changed item (filled with the created item's id when the route has no such parameter).
 */
export interface AuditIntent {
  type: AuditEventType;
  actor: string;
  ids: Record<string, string>;
  subject: string;
}

/**
 * The route's path parameters become the record's ids. A parameter that may hold a number range (a
 * block's prefix digits) is written `<digits>*`: a range, never a number (api.md: no full phone number).
 */
export function auditIntentOf(
  spec: AuditSpecLike,
  params: Record<string, string>,
  actor: string,
): AuditIntent {
  const ids = { ...params };
  const range = spec.rangeParam === undefined ? undefined : ids[spec.rangeParam];
  if (range !== undefined && /^\d+$/.test(range)) ids[spec.rangeParam!] = `${range}*`;
  return { type: spec.type, actor, ids, subject: spec.subject };
}

interface Scope {
  intent: AuditIntent;
  clock: Clock;
  random: Random;
  record?: AuditRecord;
  written: boolean;
  /** The request was answered: work it started (a timer, a retried publication) records nothing. */
  ended: boolean;
}

/**
 * The admin request being answered. The local server answers many requests in one process, so the
 * async context (not a module variable) carries each request's intent to the adapter write that records it.
 */
const current = new AsyncLocalStorage<Scope>();

/** Runs an admin write's work with its audit intent in scope; gives back the record its write committed. */
export async function runAudited<T>(
  intent: AuditIntent,
  clock: Clock,
  random: Random,
  work: () => Promise<T>,
): Promise<{ result: T; record: AuditRecord | undefined }> {
  const scope: Scope = { intent, clock, random, written: false, ended: false };
  try {
    const result = await current.run(scope, work);
    return { result, record: scope.written ? scope.record : undefined };
  } finally {
    scope.ended = true;
  }
}

/**
 * The record the request's write must carry, or none (no admin write in scope, or already written). Made
 * once per request: a write tried again carries the same record. `createdId` is the id of the item the
 * write creates, which names the subject when the route has no parameter for it.
 */
export function pendingAudit(createdId?: string): AuditRecord | undefined {
  const scope = current.getStore();
  if (!scope || scope.written || scope.ended) return undefined;
  if (!scope.record) {
    const { intent, clock, random } = scope;
    const subject = intent.ids[intent.subject] ?? createdId;
    const data: AuditData = {
      actor: intent.actor,
      ...intent.ids,
      ...(subject === undefined ? {} : { [intent.subject]: subject }),
    };
    const at = clock.now().getTime();
    scope.record = { id: newId(EVENT_ID_PREFIX, clock, random), type: intent.type, at, data };
  }
  return scope.record;
}

/** The write that carried the record committed: no later write of the request carries it again. */
export function auditCommitted(record: AuditRecord): void {
  const scope = current.getStore();
  if (scope?.record === record) scope.written = true;
}
