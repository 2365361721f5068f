import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApplicationTable } from '../../shared/adapters/dynamodb/application-table.ts';
import { ChallengeStoreTable } from '../../shared/adapters/dynamodb/challenge-store-table.ts';
import { IdentityStoreTable } from '../../shared/adapters/dynamodb/identity-store-table.ts';
import { storeKey } from '../../shared/adapters/dynamodb/store-key.ts';
import { UnreadableItem } from '../../shared/adapters/dynamodb/parse-item.ts';
import { SendHistoryTable } from '../../shared/adapters/dynamodb/send-history-table.ts';
import { transactParts } from '../../shared/adapters/dynamodb/transactions.ts';
import type { Application } from '../../shared/domain/applications/application.ts';
import type { ChallengeRecord } from '../../shared/domain/challenges/challenge.ts';
import type {
  ChallengeEnd,
  ChallengeSummary,
  MessageRef,
  SendRecord,
} from '../../shared/domain/deliveries/send-record.ts';
import { createTestTable, type TestTable } from '../support/dynamodb.ts';
import { storeFixture } from '../support/store-fixture.ts';

/**
 * Every item kind read through its schema: what an adapter wrote reads back identical, and an item that
 * is not what it wrote is a clear UnreadableItem naming the kind, the key and the field (never a wrong
 * object handed to the domain).
 */
const T0 = Date.UTC(2026, 11, 6, 12);
let table: TestTable;
beforeAll(async () => {
  table = await createTestTable();
});
afterAll(() => table.drop());

/** Overwrites one attribute of a stored item, as a bad migration or a hand edit would. */
async function corrupt(key: { pk: string; sk: string }, path: string, value: unknown) {
  const names = Object.fromEntries(path.split('.').map((part, i) => [`#p${i}`, part]));
  await table.documents.send(
    new UpdateCommand({
      TableName: table.tableName,
      Key: key,
      UpdateExpression: `SET ${Object.keys(names).join('.')} = :v`,
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: { ':v': value },
    }),
  );
}

async function unreadable(read: Promise<unknown>): Promise<UnreadableItem> {
  const error = await read.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(UnreadableItem);
  return error as UnreadableItem;
}

describe('identity store items', () => {
  it('read back as written, then refuse a field of the wrong type', async () => {
    const stores = new IdentityStoreTable(table.documents, table.tableName);
    const store = storeFixture({
      id: 'ids_parse1',
      smsAuth: { enabled: false, gatewayId: null },
      testNumbers: [{ phoneNumber: '+447700900999', codeLength: 6, codeDigest: 'abc' }],
      trustedNumbers: ['+447400123456'],
    });
    await stores.create(store);
    expect(await stores.get(store.id)).toEqual(store);
    await corrupt(storeKey(store.id), 'codePolicy.length', 'six');
    const error = await unreadable(stores.get(store.id));
    expect(error.message).toMatch(
      /identity store item STORE STORE#ids_parse1 does not parse: codePolicy\.length/,
    );
  });
});

describe('application items', () => {
  it('read back as written, then refuse a missing version', async () => {
    const stores = new IdentityStoreTable(table.documents, table.tableName);
    const applications = new ApplicationTable(table.documents, table.tableName);
    await stores.create(storeFixture({ id: 'ids_parse2', smsAuth: { enabled: false, gatewayId: null } }));
    const application: Application = {
      id: 'app_parse1',
      storeId: 'ids_parse2',
      name: 'App',
      mfaPolicy: { enabled: true, enforcedRoles: ['Admins'], identitySources: ['okta'] },
      createdAt: '2026-12-06T00:00:00.000Z',
      updatedAt: '2026-12-06T00:00:00.000Z',
      version: 1,
    };
    await applications.create(application);
    expect(await applications.get('ids_parse2', application.id)).toEqual(application);
    const [item] = (await table.scanAll()).filter((i) => i.id === application.id);
    await corrupt({ pk: item!.pk as string, sk: item!.sk as string }, 'version', 'one');
    const error = await unreadable(applications.get('ids_parse2', application.id));
    expect(error.message).toMatch(/application \(store fields\) item .* does not parse: version/);
  });
});

describe('challenge, send and message items', () => {
  const challenge: ChallengeRecord = {
    id: 'ch_parse1',
    storeId: 'ids_parse3',
    userId: null,
    purpose: 'verify-phone',
    phone: '+447400123456',
    codes: { h1: T0 + 300_000 },
    tried: {},
    triedAt: {},
    attempts: 0,
    maxAttempts: 5,
    sends: 1,
    lastSentAt: T0,
    expiresAt: T0 + 300_000,
    createdAt: new Date(T0).toISOString(),
    pepperVersion: 'v1',
    unverified: [{ limit: 'prefixPerHour', subject: '+447400', bucket: 1, max: 20, endsAt: T0 + 3_600_000 }],
    factorFailuresAtIssue: 0,
    factorLastUsedAt: null,
  };
  const send: SendRecord = {
    at: new Date(T0).toISOString(),
    attempt: 1,
    gatewayId: 'gw_1',
    gatewayType: 'twilio',
    providerMessageId: 'SM1',
    outcome: 'accepted',
  };
  const ref: MessageRef = {
    storeId: 'ids_parse3',
    challengeId: challenge.id,
    sentAt: send.at,
    attempt: 1,
    gatewayId: 'gw_1',
    gatewayType: 'twilio',
    providerMessageId: 'SM1',
    purpose: 'verify-phone',
    maskedPhone: '+44*******456',
    country: 'GB',
  };

  const summary: ChallengeSummary = { purpose: 'verify-phone', maskedPhone: '+44*******456', test: false };
  const end: ChallengeEnd = { status: 'approved', at: new Date(T0 + 60_000).toISOString(), attempts: 1 };

  it('read back as written (a challenge never tried has empty tried maps)', async () => {
    const challenges = new ChallengeStoreTable(table.documents, table.tableName);
    const history = new SendHistoryTable(table.documents, table.tableName, () => T0);
    const { tried: _tried, triedAt: _triedAt, ...untried } = challenge;
    await transactParts(table.documents, [challenges.putPart(untried as ChallengeRecord)]);
    await history.recordSend(challenge.storeId, challenge.id, send, summary);
    await history.recordMessage(ref);
    await history.recordEnd(challenge.storeId, challenge.id, end);
    expect(await challenges.get(challenge.id)).toEqual(challenge);
    expect(await history.history(challenge.id)).toEqual({
      storeId: challenge.storeId,
      challenge,
      summary,
      end,
      sends: [send],
    });
    expect(await history.findMessage('gw_1', 'SM1')).toEqual(ref);
  });

  it('refuse a challenge whose window names no known limit, and a message without its challenge', async () => {
    const challenges = new ChallengeStoreTable(table.documents, table.tableName);
    const history = new SendHistoryTable(table.documents, table.tableName, () => T0);
    const items = await table.scanAll();
    const key = (entity: string) => {
      const item = items.find((i) => i.entity === entity && (i.challengeId ?? i.id) === challenge.id)!;
      return { pk: item.pk as string, sk: item.sk as string };
    };
    await corrupt(key('message'), 'challengeId', 42);
    expect((await unreadable(history.findMessage('gw_1', 'SM1'))).message).toMatch(
      /message item SMSMSG#gw_1#SM1 MESSAGE does not parse: challengeId/,
    );
    const endKey = { pk: key('challenge').pk, sk: 'END' };
    await corrupt(endKey, 'status', 'expired');
    expect((await unreadable(history.history(challenge.id))).message).toMatch(
      /challenge end item CHALLENGE#ch_parse1 END does not parse: status/,
    );
    await corrupt(endKey, 'status', 'approved');
    await corrupt(key('challenge'), 'unverified', [{ limit: 'perFortnight', bucket: 1, max: 1, endsAt: 1 }]);
    expect((await unreadable(challenges.get(challenge.id))).message).toMatch(
      /challenge item CHALLENGE#ch_parse1 CHALLENGE does not parse: unverified\.0\.limit/,
    );
  });
});
