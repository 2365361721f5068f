import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { challengeKey, factorKey } from '../../shared/adapters/dynamodb/challenge-items.ts';
import { createDocumentClient } from '../../shared/adapters/dynamodb/document-client.ts';
import { clientFor, lastCode, mobileNumber } from '../support/client.ts';
import { eventLines } from '../support/local-events.ts';
import { startTestServer, type TestServer } from '../support/local-server.ts';

/**
 * Verify, cancel and the factor's routes parse no number (their functions bundle no phone metadata): the
 * country their events name is the one the send parsed, stored on the challenge and the factor. Records
 * written before it was stored still verify, read and remove; their events then name no country.
 */
let server: TestServer;
let documents: ReturnType<typeof createDocumentClient>;
beforeAll(async () => {
  server = await startTestServer();
  documents = createDocumentClient({ endpoint: server.dynamoDbEndpoint });
});
afterAll(() => server.stop());

const item = async (key: { pk: string; sk: string }) =>
  (await documents.send(new GetCommand({ TableName: server.tableName, Key: key }))).Item!;

/** What an item written before the change looks like: the attributes named are not there. */
const strip = (key: { pk: string; sk: string }, ...attributes: string[]) =>
  documents.send(
    new UpdateCommand({
      TableName: server.tableName,
      Key: key,
      UpdateExpression: `REMOVE ${attributes.join(', ')}`,
    }),
  );

const eventsOf = async (types: string[], match: Record<string, unknown>) =>
  (await eventLines(server.dataDir))
    .filter((line) => types.includes(line.type))
    .filter((line) => Object.entries(match).every(([name, value]) => line.data[name] === value));

describe('the country of a challenge and a factor, stored when the code is sent', () => {
  it('is kept on both at enrollment and named by approval, activation and removal', async () => {
    const client = await clientFor(server);
    const phone = mobileNumber();
    const enrolled = await client.call('PUT', '/v1/users/carol/sms-factor', { phoneNumber: phone });
    expect(enrolled.status, enrolled.text).toBe(202);
    const challengeId = enrolled.body.challenge.id as string;
    expect((await item(challengeKey(challengeId))).country).toBe('GB');
    expect((await item(factorKey(client.storeId, 'carol'))).pendingCountry).toBe('GB');

    const verified = await client.call('POST', `/v1/challenges/${challengeId}/verify`, {
      code: await lastCode(server, phone),
    });
    expect(verified.status, verified.text).toBe(200);
    const factor = await item(factorKey(client.storeId, 'carol'));
    expect(factor.phoneCountry).toBe('GB');
    expect(factor.pendingCountry).toBeUndefined();
    expect((await client.call('DELETE', '/v1/users/carol/sms-factor')).status).toBe(204);

    const lines = await eventsOf(['challenge.approved', 'factor.activated', 'factor.removed'], {
      storeId: client.storeId,
      userId: 'carol',
    });
    expect(lines.map((line) => [line.type, line.data.country, line.data.maskedPhone])).toEqual([
      ['challenge.approved', 'GB', `+44*******${phone.slice(-3)}`],
      ['factor.activated', 'GB', `+44*******${phone.slice(-3)}`],
      ['factor.removed', 'GB', `+44*******${phone.slice(-3)}`],
    ]);
    const removed = await item(factorKey(client.storeId, 'carol'));
    expect([removed.phoneCountry, removed.pendingCountry]).toEqual([undefined, undefined]);
  });

  it('an enrollment written before countries were stored verifies, reads and is removed; its events name none', async () => {
    const client = await clientFor(server);
    const phone = mobileNumber();
    const enrolled = await client.call('PUT', '/v1/users/dave/sms-factor', { phoneNumber: phone });
    expect(enrolled.status, enrolled.text).toBe(202);
    const challengeId = enrolled.body.challenge.id as string;
    await strip(challengeKey(challengeId), 'country');
    await strip(factorKey(client.storeId, 'dave'), 'pendingCountry');

    const verified = await client.call('POST', `/v1/challenges/${challengeId}/verify`, {
      code: await lastCode(server, phone),
    });
    expect(verified.status, verified.text).toBe(200);
    expect(verified.body).toMatchObject({ status: 'approved', purpose: 'enroll', userId: 'dave' });
    const read = await client.call('GET', '/v1/users/dave/sms-factor');
    expect(read.status, read.text).toBe(200);
    expect(read.body).toMatchObject({ status: 'active', maskedPhone: `+44*******${phone.slice(-3)}` });
    expect((await client.call('DELETE', '/v1/users/dave/sms-factor')).status).toBe(204);

    const lines = await eventsOf(['challenge.approved', 'factor.activated', 'factor.removed'], {
      storeId: client.storeId,
      userId: 'dave',
    });
    expect(lines.map((line) => line.type)).toEqual([
      'challenge.approved',
      'factor.activated',
      'factor.removed',
    ]);
    for (const line of lines) {
      expect(line.data.maskedPhone).toBe(`+44*******${phone.slice(-3)}`);
      expect(line.data, line.type).not.toHaveProperty('country');
    }
  });

  it('a phone check written before countries were stored verifies, and a wrong code still counts', async () => {
    const client = await clientFor(server);
    const phone = mobileNumber();
    const sent = await client.call('POST', '/v1/verifications', { phoneNumber: phone });
    expect(sent.status, sent.text).toBe(201);
    const challengeId = sent.body.id as string;
    await strip(challengeKey(challengeId), 'country');
    const code = await lastCode(server, phone);
    const wrong = String((Number(code[0]) + 1) % 10) + code.slice(1);
    const refused = await client.call('POST', `/v1/challenges/${challengeId}/verify`, { code: wrong });
    expect(refused.status, refused.text).toBe(422);
    const verified = await client.call('POST', `/v1/challenges/${challengeId}/verify`, { code });
    expect(verified.status, verified.text).toBe(200);
    expect(verified.body).toMatchObject({ status: 'approved', purpose: 'verify-phone', phoneNumber: phone });
    const [approved] = await eventsOf(['challenge.approved'], { challengeId });
    expect(approved!.data).toMatchObject({ attempts: 2, maskedPhone: `+44*******${phone.slice(-3)}` });
    expect(approved!.data).not.toHaveProperty('country');
  });
});
