import { beforeEach, describe, expect, it } from 'vitest';
import { mockClient } from 'aws-sdk-client-mock';
// Registers the matchers with vitest's expect and augments its types.
import 'aws-sdk-client-mock-vitest/extend';
import {
  CreateSecretCommand,
  DeleteSecretCommand,
  GetSecretValueCommand,
  PutSecretValueCommand,
  ResourceExistsException,
  ResourceNotFoundException,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { SecretsManagerStore } from '../../shared/adapters/secrets/secrets-manager-store.ts';

const PREFIX = 'sms-mfa/dev/';
const NAME = 'gateways/gw_01abc';
const FULL_NAME = `${PREFIX}${NAME}`;
const VALUE = { password: 'pa$$w0rd', proxyPassword: 'pr0xy' };
const SECRET_STRING = JSON.stringify(VALUE);

const sm = mockClient(SecretsManagerClient);
const store = () => new SecretsManagerStore(new SecretsManagerClient({ region: 'eu-west-1' }), PREFIX);

/** The matchers compare with objectContaining; these assert there is nothing extra in the request. */
const inputs = (command: Parameters<typeof sm.commandCalls>[0]) =>
  sm.commandCalls(command).map((call) => call.args[0].input);

const exists = () => new ResourceExistsException({ message: 'x', $metadata: {} });
const notFound = () => new ResourceNotFoundException({ message: 'x', $metadata: {} });

beforeEach(() => {
  sm.reset();
});

describe('SecretsManagerStore', () => {
  describe('constructor', () => {
    it.each(['', 'sms-mfa/dev', '/', 'sms mfa/', 'sms-mfa/dev/*', 'sms-mfa/dev\n/', 'a:b/'])(
      'rejects the prefix %j',
      (prefix) => {
        expect(() => new SecretsManagerStore(new SecretsManagerClient({}), prefix)).toThrow(/prefix/);
      },
    );

    it('accepts every character Secrets Manager allows in a name', () => {
      expect(() => new SecretsManagerStore(new SecretsManagerClient({}), 'a-Z_0/+=.@x/')).not.toThrow();
    });
  });

  describe('put', () => {
    it('creates the secret under the prefixed name', async () => {
      sm.on(CreateSecretCommand).resolves({});

      await store().put(NAME, VALUE);

      expect(sm).toHaveReceivedCommandExactlyOnceWith(CreateSecretCommand, {
        Name: FULL_NAME,
        SecretString: SECRET_STRING,
        Description: 'sms-mfa credentials',
      });
      expect(inputs(CreateSecretCommand)).toStrictEqual([
        { Name: FULL_NAME, SecretString: SECRET_STRING, Description: 'sms-mfa credentials' },
      ]);
      expect(sm).toHaveReceivedCommandTimes(PutSecretValueCommand, 0);
    });

    it('replaces the value when the secret already exists', async () => {
      sm.on(CreateSecretCommand).rejects(exists());
      sm.on(PutSecretValueCommand).resolves({});

      await store().put(NAME, VALUE);

      expect(sm).toHaveReceivedCommandExactlyOnceWith(PutSecretValueCommand, {
        SecretId: FULL_NAME,
        SecretString: SECRET_STRING,
      });
      expect(inputs(PutSecretValueCommand)).toStrictEqual([
        { SecretId: FULL_NAME, SecretString: SECRET_STRING },
      ]);
    });

    it('does not fall back on other errors', async () => {
      sm.on(CreateSecretCommand).rejects(new Error('AccessDenied'));

      await expect(store().put(NAME, VALUE)).rejects.toThrow('AccessDenied');
      expect(sm).toHaveReceivedCommandTimes(PutSecretValueCommand, 0);
    });
  });

  describe('get', () => {
    it('reads and parses the prefixed secret', async () => {
      sm.on(GetSecretValueCommand).resolves({ SecretString: SECRET_STRING });

      await expect(store().get(NAME)).resolves.toStrictEqual(VALUE);

      expect(sm).toHaveReceivedCommandExactlyOnceWith(GetSecretValueCommand, { SecretId: FULL_NAME });
      expect(inputs(GetSecretValueCommand)).toStrictEqual([{ SecretId: FULL_NAME }]);
    });

    it('returns undefined for a missing secret', async () => {
      sm.on(GetSecretValueCommand).rejects(notFound());

      await expect(store().get(NAME)).resolves.toBeUndefined();
    });

    it('propagates other errors', async () => {
      sm.on(GetSecretValueCommand).rejects(new Error('Throttling'));

      await expect(store().get(NAME)).rejects.toThrow('Throttling');
    });

    it.each([
      ['invalid JSON', '{"password": hunter2-secret}'],
      ['a non-string member', '{"password": "hunter2-secret", "n": 1}'],
      ['an array', '["hunter2-secret"]'],
      ['a JSON string', '"hunter2-secret"'],
      ['null', 'null'],
    ])('rejects %s without quoting the secret', async (_label, secretString) => {
      sm.on(GetSecretValueCommand).resolves({ SecretString: secretString });

      const error = await store()
        .get(NAME)
        .then(
          () => undefined,
          (e: unknown) => e,
        );

      expect(error).toBeInstanceOf(Error);
      expect((error as Error).message).toContain(FULL_NAME);
      expect((error as Error).message).not.toContain('hunter2');
      expect(String((error as Error).stack)).not.toContain('hunter2');
    });

    it('rejects a binary-only secret', async () => {
      sm.on(GetSecretValueCommand).resolves({ SecretBinary: new Uint8Array([1, 2, 3]) });

      await expect(store().get(NAME)).rejects.toThrow(FULL_NAME);
    });
  });

  describe('delete', () => {
    it('deletes the prefixed secret without a recovery window', async () => {
      sm.on(DeleteSecretCommand).resolves({});

      await store().delete(NAME);

      expect(sm).toHaveReceivedCommandExactlyOnceWith(DeleteSecretCommand, {
        SecretId: FULL_NAME,
        ForceDeleteWithoutRecovery: true,
      });
      expect(inputs(DeleteSecretCommand)).toStrictEqual([
        { SecretId: FULL_NAME, ForceDeleteWithoutRecovery: true },
      ]);
    });

    it('ignores a missing secret', async () => {
      sm.on(DeleteSecretCommand).rejects(notFound());

      await expect(store().delete(NAME)).resolves.toBeUndefined();
    });

    it('propagates other errors', async () => {
      sm.on(DeleteSecretCommand).rejects(new Error('AccessDenied'));

      await expect(store().delete(NAME)).rejects.toThrow('AccessDenied');
    });
  });
});
