import { QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { ChallengeRecord } from '../../domain/challenges/challenge.ts';
import type { FactorRecord } from '../../domain/factors/factor.ts';
import type { AuditRecord } from '../../domain/support/audit-record.ts';
import type { UserSupportStore } from '../../ports/user-support-store.ts';
import { auditPart } from './audit-items.ts';
import { factorKey, toChallenge } from './challenge-items.ts';
import { USER_CHALLENGES_PREFIX } from './key-prefixes.ts';
import { GSI1 } from './table-definition.ts';
import { ConditionsFailed, transactParts, type NamedPart } from './transactions.ts';

const POINTER_ATTRIBUTES = { enroll: 'ptr_enroll', authenticate: 'ptr_authenticate' } as const;

export class UserSupportTable implements UserSupportStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async recentChallenges(storeId: string, userId: string, limit: number): Promise<ChallengeRecord[]> {
    const result = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: GSI1.name,
        KeyConditionExpression: '#pk = :pk',
        ExpressionAttributeNames: { '#pk': GSI1.partitionKey },
        ExpressionAttributeValues: { ':pk': `${USER_CHALLENGES_PREFIX}${storeId}#${userId}` },
        ScanIndexForward: false,
        Limit: limit,
      }),
    );
    return (result.Items ?? []).map((item) => toChallenge(item));
  }

  async reset(seen: FactorRecord, now: number, audit: AuditRecord): Promise<boolean> {
    const names: Record<string, string> = { '#status': 'status' };
    const values: Record<string, unknown> = { ':zero': 0, ':now': now };
    // The factor is still as read: same number, same pending enrollment, same send pointers.
    const conditions = ['attribute_exists(pk)'];
    const same = (attribute: string, value: string | null, key: string) => {
      if (value === null) conditions.push(`attribute_not_exists(${attribute})`);
      else {
        conditions.push(`${attribute} = ${key}`);
        values[key] = value;
      }
    };
    same('phone', seen.phone, ':phone');
    same('pendingChallengeId', seen.pendingChallengeId, ':pending');
    same('lastVerifiedPhone', seen.lastVerifiedPhone, ':remembered');
    for (const [purpose, attribute] of Object.entries(POINTER_ATTRIBUTES)) {
      const pointer = seen.pointers[purpose as keyof typeof POINTER_ATTRIBUTES];
      same(`${attribute}.challengeId`, pointer?.challengeId ?? null, `:${purpose}`);
    }
    const factor: NamedPart<'factor'> = {
      name: 'factor',
      write: {
        Update: {
          TableName: this.tableName,
          Key: factorKey(seen.storeId, seen.userId),
          UpdateExpression:
            'SET failureCount = :zero, resetAt = :now REMOVE #status, phone, phoneCountry, pendingPhone, pendingCountry, ' +
            'pendingChallengeId, lastVerifiedPhone, verifiedAt, lastUsedAt, lockedUntil, ptr_enroll, ptr_authenticate',
          ConditionExpression: conditions.join(' AND '),
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
        },
      },
    };
    return this.transact([factor, auditPart(this.tableName, audit)]);
  }

  async unlock(storeId: string, userId: string, audit: AuditRecord): Promise<boolean> {
    const factor: NamedPart<'factor'> = {
      name: 'factor',
      write: {
        Update: {
          TableName: this.tableName,
          Key: factorKey(storeId, userId),
          UpdateExpression: 'SET failureCount = :zero REMOVE lockedUntil',
          ConditionExpression: 'attribute_exists(#status)',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':zero': 0 },
        },
      },
    };
    return this.transact([factor, auditPart(this.tableName, audit)]);
  }

  /** True when written; false when the factor's condition refused it. */
  private async transact(parts: NamedPart<'factor' | 'audit'>[]): Promise<boolean> {
    try {
      await transactParts(this.client, parts);
      return true;
    } catch (error) {
      if (error instanceof ConditionsFailed && error.first('factor')) return false;
      throw error;
    }
  }
}
