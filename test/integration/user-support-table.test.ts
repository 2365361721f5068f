import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChallengeStoreTable } from '../../shared/adapters/dynamodb/challenge-store-table.ts';
import { FactorTable } from '../../shared/adapters/dynamodb/factor-table.ts';
import { transactParts } from '../../shared/adapters/dynamodb/transactions.ts';
import { UserSupportTable } from '../../shared/adapters/dynamodb/user-support-table.ts';
import type { ChallengeRecord } from '../../shared/domain/challenges/challenge.ts';
import type { AuditRecord } from '../../shared/domain/support/audit-record.ts';
import { createTestTable, type TestTable } from '../support/dynamodb.ts';

/** The support desk's adapter against DynamoDB Local. */
const T0 = Date.UTC(2026, 11, 6, 12);
let table: TestTable;
let support: UserSupportTable;
let challenges: ChallengeStoreTable;
let factors: FactorTable;

beforeAll(async () => {
  table = await createTestTable();
  support = new UserSupportTable(table.documents, table.tableName);
  challenges = new ChallengeStoreTable(table.documents, table.tableName);
  factors = new FactorTable(table.documents, table.tableName);
});
afterAll(async () => {
  await table.drop();
});

const challenge = (id: string, userId: string | null, at: number): ChallengeRecord => ({
  id,
  storeId: 'ids_s',
  userId,
  purpose: 'authenticate',
  phone: '+447400123456',
  codes: {},
  tried: {},
  triedAt: {},
  attempts: 0,
  maxAttempts: 5,
  sends: 1,
  lastSentAt: at,
  expiresAt: at + 300_000,
  createdAt: new Date(at).toISOString(),
  factorFailuresAtIssue: 0,
  factorLastUsedAt: null,
});
const audit = (
  id: string,
  userId: string,
  type: AuditRecord['type'] = 'admin.factor.unlocked',
): AuditRecord => ({
  id,
  type,
  at: T0,
  data: { actor: 'arn:aws:iam::123456789012:user/ops', storeId: 'ids_s', userId },
});

async function factorItem(userId: string, extra: Record<string, unknown>) {
  await table.documents.send(
    new (await import('@aws-sdk/lib-dynamodb')).PutCommand({
      TableName: table.tableName,
      Item: {
        pk: `FACTOR#ids_s#${userId}`,
        sk: 'FACTOR',
        storeId: 'ids_s',
        userId,
        failureCount: 4,
        ...extra,
      },
    }),
  );
}

describe('UserSupportTable', () => {
  it("lists one user's challenges newest first through gsi1, at most the limit, never another user's", async () => {
    const parts = [
      ...Array.from({ length: 5 }, (_, i) =>
        challenges.putPart(challenge(`ch_u${i}`, 'u+1@x', T0 + i * 1000)),
      ),
      challenges.putPart(challenge('ch_other', 'u+2@x', T0 + 9000)),
      challenges.putPart(challenge('ch_phone', null, T0 + 9000)),
    ];
    for (const part of parts) await transactParts(table.documents, [part]);
    const listed = await support.recentChallenges('ids_s', 'u+1@x', 3);
    expect(listed.map((c) => c.id)).toEqual(['ch_u4', 'ch_u3', 'ch_u2']);
    // Read back as a challenge, without the index keys.
    expect(listed[0]).not.toHaveProperty('gsi1pk');
    expect(await support.recentChallenges('ids_s', 'nobody', 20)).toEqual([]);
  });

  it('unlock: the factor and its AUDIT# record together; nothing at all without a factor', async () => {
    await factorItem('locked', { status: 'active', phone: '+447400123456', lockedUntil: T0 + 900_000 });
    expect(await support.unlock('ids_s', 'locked', audit('aud_1', 'locked'))).toBe(true);
    const after = await factors.get('ids_s', 'locked');
    expect(after).toMatchObject({ lockedUntil: null, failureCount: 0, status: 'active' });
    expect(await support.unlock('ids_s', 'none', audit('aud_2', 'none'))).toBe(false);
    const records = await table.documents.send(
      new QueryCommand({
        TableName: table.tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': 'AUDIT#ids_s' },
      }),
    );
    expect(records.Items?.map((item) => item.id)).toEqual(['aud_1']);
    expect(records.Items?.[0]).not.toHaveProperty('ownerShard');
  });

  it('reset: written only while the factor is as read; removes the number, remembered number, lock and pointers', async () => {
    await factorItem('lost', {
      status: 'active',
      phone: '+447400123456',
      lastVerifiedPhone: '+447400123456',
      lockedUntil: T0 + 1,
      ptr_authenticate: { challengeId: 'ch_a', phone: '+447400123456', lastSentAt: T0, expiresAt: T0 + 1 },
    });
    const seen = (await factors.get('ids_s', 'lost'))!;
    const stale = { ...seen, pointers: {} };
    expect(await support.reset(stale, T0, audit('aud_3', 'lost', 'admin.factor.reset'))).toBe(false);
    expect(await support.reset(seen, T0, audit('aud_4', 'lost', 'admin.factor.reset'))).toBe(true);
    const item = await table.documents.send(
      new GetCommand({ TableName: table.tableName, Key: { pk: 'FACTOR#ids_s#lost', sk: 'FACTOR' } }),
    );
    expect(item.Item).toEqual({
      pk: 'FACTOR#ids_s#lost',
      sk: 'FACTOR',
      storeId: 'ids_s',
      userId: 'lost',
      failureCount: 0,
      resetAt: T0,
    });
    const audits = await table.documents.send(
      new QueryCommand({
        TableName: table.tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': 'AUDIT#ids_s' },
      }),
    );
    expect(audits.Items?.map((i) => i.id)).not.toContain('aud_3');
    expect(audits.Items?.map((i) => i.id)).toContain('aud_4');
  });
});
