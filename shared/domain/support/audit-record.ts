import type { AuditEventType } from '../events/event-types.ts';

/**
 * api.md "Audit is not a side path": an admin write's audit record, written in the write's own
 * transaction. Its event (the same type and data) is then published as a side path.
 */
export interface AuditRecord {
  id: string;
  type: AuditEventType;
  at: number;
  data: { actor: string; storeId: string; userId: string; reason?: string };
}
