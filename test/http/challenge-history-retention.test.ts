import { DeleteCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { challengeKey } from '../../shared/adapters/dynamodb/challenge-items.ts';
import { createDocumentClient } from '../../shared/adapters/dynamodb/document-client.ts';
import { clientFor, lastCode, mobileNumber } from '../support/client.ts';
import { startTestServer, type TestServer } from '../support/local-server.ts';
import { expectProblem } from '../support/problems.ts';

let server: TestServer;
let documents: ReturnType<typeof createDocumentClient>;
beforeAll(async () => {
  server = await startTestServer();
  documents = createDocumentClient({ endpoint: server.dynamoDbEndpoint });
});
afterAll(async () => {
  documents.destroy();
  await server.stop();
});

const historyPath = (storeId: string, challengeId: string) =>
  `/admin/identity-stores/${storeId}/challenges/${challengeId}`;

/** What DynamoDB's TTL does an hour after the challenge's last code: its own item goes, its sends stay. */
async function expireChallengeItem(challengeId: string): Promise<void> {
  const key = challengeKey(challengeId);
  await documents.send(new DeleteCommand({ TableName: server.tableName, Key: key }));
}

async function partition(challengeId: string) {
  const result = await documents.send(
    new QueryCommand({
      TableName: server.tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': challengeKey(challengeId).pk },
    }),
  );
  return result.Items ?? [];
}

describe('the challenge history outlives the challenge item, as long as its sends', () => {
  it('an approved challenge whose item is gone still answers, approved, with its sends', async () => {
    const client = await clientFor(server);
    const phone = mobileNumber();
    const enrolled = await client.call('PUT', '/v1/users/rin/sms-factor', { phoneNumber: phone });
    expect(enrolled.status, enrolled.text).toBe(202);
    const challengeId = enrolled.body.challenge.id as string;
    const verified = await client.call('POST', `/v1/challenges/${challengeId}/verify`, {
      code: await lastCode(server, phone),
    });
    expect(verified.status, verified.text).toBe(200);
    const before = await server.admin('GET', historyPath(client.storeId, challengeId));
    expect(before.status, before.text).toBe(200);

    await expireChallengeItem(challengeId);
    const after = await server.admin('GET', historyPath(client.storeId, challengeId));
    expect(after.status, after.text).toBe(200);
    expect(after.body).toEqual({
      id: challengeId,
      purpose: 'enroll',
      userId: 'rin',
      maskedPhone: before.body.maskedPhone,
      status: 'approved',
      createdAt: before.body.sends[0].at,
      approvedAt: expect.any(String),
      attempts: 1,
      test: false,
      sends: before.body.sends,
    });
    expect(after.text).not.toContain(phone);
    // Another store still cannot see it.
    const other = await clientFor(server);
    expectProblem(await server.admin('GET', historyPath(other.storeId, challengeId)), 404, 'not-found');
  });

  it('an unanswered challenge whose item is gone answers as expired; once its sends are gone too, 404', async () => {
    const client = await clientFor(server);
    const issued = await client.call('POST', '/v1/verifications', { phoneNumber: mobileNumber() });
    expect(issued.status, issued.text).toBe(201);
    const challengeId = issued.body.id as string;
    await expireChallengeItem(challengeId);
    const expired = await server.admin('GET', historyPath(client.storeId, challengeId));
    expect(expired.status, expired.text).toBe(200);
    expect(expired.body).toMatchObject({
      id: challengeId,
      purpose: 'verify-phone',
      status: 'expired',
      attempts: 0,
    });
    expect(expired.body.sends).toHaveLength(1);

    for (const item of await partition(challengeId)) {
      await documents.send(
        new DeleteCommand({ TableName: server.tableName, Key: { pk: item.pk, sk: item.sk } }),
      );
    }
    expectProblem(await server.admin('GET', historyPath(client.storeId, challengeId)), 404, 'not-found');
  });
});
