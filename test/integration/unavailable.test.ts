import {
  ProvisionedThroughputExceededException,
  ThrottlingException,
  TransactionCanceledException,
} from '@aws-sdk/client-dynamodb';
import { SecretsManagerClient, SecretsManagerServiceException } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDocumentClient } from '../../shared/adapters/dynamodb/document-client.ts';
import { SecretsManagerStore } from '../../shared/adapters/secrets/secrets-manager-store.ts';
import { UNAVAILABLE_RETRY_AFTER_SECONDS } from '../../shared/domain/errors.ts';
import { createContext, useContext } from '../../shared/runtime/context.ts';
import { readConfig } from '../../shared/runtime/config.ts';
import { handler as createGateway } from '../../functions/gateways/create.ts';
import { handler as getGateway } from '../../functions/gateways/get.ts';
import { handler as createStore } from '../../functions/identity-stores/create.ts';
import { invoke } from '../support/api-event.ts';
import { createTestTable, type TestTable } from '../support/dynamodb.ts';

const $metadata = { httpStatusCode: 400, attempts: 3 };
/** What Node's HTTP stack throws when nothing listens (the SDK passes it on after its retries). */
const connectionRefused = () =>
  Object.assign(new Error('connect ECONNREFUSED 10.0.0.1:443'), { code: 'ECONNREFUSED' });
const timedOut = () => Object.assign(new Error('socket timed out'), { name: 'TimeoutError', $metadata: {} });

const config = (tableName: string) =>
  readConfig({ TABLE_NAME: tableName, SECRET_STORE: 'secrets-manager', SECRET_NAME_PREFIX: 'sms-mfa/test/' });

function expectUnavailable(answer: Awaited<ReturnType<typeof invoke>>) {
  expect(answer.status, JSON.stringify(answer.body)).toBe(503);
  expect(answer.headers['content-type']).toBe('application/problem+json');
  expect(answer.body.type).toMatch(/\/unavailable$/);
  expect(answer.headers['retry-after']).toBe(String(UNAVAILABLE_RETRY_AFTER_SECONDS));
}

afterAll(() => useContext(undefined));

describe('DynamoDB throttled or unreachable: 503 unavailable with Retry-After', () => {
  const documents = createDocumentClient({ endpoint: 'http://127.0.0.1:9' });
  const dynamo = mockClient(documents);
  beforeAll(() => useContext(createContext(config('t'), { documents })));

  const failures: Array<[string, () => Error]> = [
    [
      'ProvisionedThroughputExceededException',
      () => new ProvisionedThroughputExceededException({ message: 'Rate exceeded', $metadata }),
    ],
    ['ThrottlingException', () => new ThrottlingException({ message: 'Rate exceeded', $metadata })],
    ['a refused connection', connectionRefused],
    ['a timeout', timedOut],
  ];
  for (const [name, failure] of failures) {
    it(`a read failing with ${name}`, async () => {
      dynamo.reset();
      dynamo.onAnyCommand().rejects(failure());
      expectUnavailable(
        await invoke(getGateway, { pathParameters: { gatewayId: 'gw_0123456789abcdefghjkmnpqrs' } }),
      );
    });
  }

  it('an error that is no outage stays a bare 500', async () => {
    dynamo.reset();
    dynamo.onAnyCommand().rejects(new Error('a bug'));
    const answer = await invoke(getGateway, {
      pathParameters: { gatewayId: 'gw_0123456789abcdefghjkmnpqrs' },
    });
    expect(answer.status).toBe(500);
    expect(answer.headers['retry-after']).toBeUndefined();
  });

  it('a transaction cancelled because an item was throttled', async () => {
    dynamo.reset();
    dynamo.onAnyCommand().rejects(
      new TransactionCanceledException({
        message: 'Transaction cancelled',
        $metadata,
        CancellationReasons: [
          { Code: 'None' },
          { Code: 'ThrottlingError', Message: 'Throughput exceeds the limit' },
        ],
      }),
    );
    expectUnavailable(await invoke(createStore, { body: JSON.stringify({ name: 'Throttled store' }) }));
  });
});

describe('Secrets Manager throttled or unreachable: 503 unavailable with Retry-After', () => {
  let table: TestTable;
  const secretsClient = new SecretsManagerClient({ region: 'us-east-1' });
  const secrets = mockClient(secretsClient);
  beforeAll(async () => {
    table = await createTestTable();
    useContext(
      createContext(config(table.tableName), {
        documents: table.documents,
        secrets: new SecretsManagerStore(secretsClient, 'sms-mfa/test/'),
      }),
    );
  });
  afterAll(() => table.drop());

  const body = (name: string) =>
    JSON.stringify({
      name,
      type: 'twilio',
      accountId: 'AC0123456789abcdef0123456789abcdef',
      password: 'token',
      from: '+15005550006',
    });
  const failures: Array<[string, () => Error]> = [
    [
      'ThrottlingException',
      () =>
        new SecretsManagerServiceException({
          name: 'ThrottlingException',
          $fault: 'client',
          message: 'Rate exceeded',
          $metadata,
        }),
    ],
    ['a refused connection', connectionRefused],
  ];
  for (const [name, failure] of failures) {
    it(`storing a gateway password failing with ${name}`, async () => {
      secrets.reset();
      secrets.onAnyCommand().rejects(failure());
      expectUnavailable(
        await invoke(createGateway, { body: JSON.stringify(JSON.parse(body(`Gateway ${name}`))) }),
      );
    });
  }
});
