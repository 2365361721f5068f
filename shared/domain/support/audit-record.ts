import type { AuditEventType } from '../events/event-types.ts';

/**
 * What an audit record holds: who did it, and the ids of what they changed (the store's, when the change
 * belongs to one). Ids and the actor only: never a credential, API key, hook or webhook secret.
 */
export type AuditData = { actor: string; storeId?: string } & { [id: string]: string | undefined };

/**
 * api.md "Audit is not a side path": an admin write's audit record, written in the write's own
 * transaction. Its event (the same id, type, time and data) is then published as a side path.
 */
export interface AuditRecord {
  id: string;
  type: AuditEventType;
  at: number;
  data: AuditData;
}
