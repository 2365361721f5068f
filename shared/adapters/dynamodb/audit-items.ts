import type { AuditRecord } from '../../domain/support/audit-record.ts';
import { AUDIT_PREFIX } from './key-prefixes.ts';
import type { NamedPart } from './transactions.ts';

/** `AUDIT#<store>`, sorted by time: one store's audit trail is one partition, read in order. */
export const auditKey = (record: AuditRecord) => ({
  pk: `${AUDIT_PREFIX}${record.data.storeId}`,
  sk: `${new Date(record.at).toISOString()}#${record.id}`,
});

/** The audit record's Put, for the transaction of the change it records. */
export function auditPart(tableName: string, record: AuditRecord): NamedPart<'audit'> {
  return {
    name: 'audit',
    write: {
      Put: {
        TableName: tableName,
        Item: {
          ...auditKey(record),
          entity: 'audit',
          id: record.id,
          type: record.type,
          timestamp: new Date(record.at).toISOString(),
          data: record.data,
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    },
  };
}
