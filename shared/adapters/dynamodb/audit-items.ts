import type { TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import type { AuditRecord } from '../../domain/support/audit-record.ts';
import { AUDIT_PREFIX } from './key-prefixes.ts';

/** A part of transactions.ts's `transactParts` (its `NamedPart`; spelled out here, which it imports). */
interface AuditPart {
  name: 'audit';
  write: NonNullable<TransactWriteCommandInput['TransactItems']>[number];
}

/**
 * The audit partition of changes that belong to no identity store (gateways, the service's own): store
 * ids are generated with a `str_` prefix, so no store's partition is named like it.
 */
export const ACCOUNT_AUDIT = 'account';

/**
 * `AUDIT#<store>` (`AUDIT#account` for account-level resources), sorted by time then id: one store's
 * audit trail is one partition, read in order. The item carries no `storeId` attribute and no
 * `ownerShard`, so the deleted-store sweep (which finds a store's items through `byStore`) leaves it.
 */
export const auditKey = (record: AuditRecord) => ({
  pk: `${AUDIT_PREFIX}${record.data.storeId ?? ACCOUNT_AUDIT}`,
  sk: `${new Date(record.at).toISOString()}#${record.id}`,
});

/** The audit record's Put, for the transaction of the change it records. */
export function auditPart(tableName: string, record: AuditRecord): AuditPart {
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
