import { randomBytes } from 'node:crypto';
import {
  AlgorithmSuiteIdentifier,
  buildClient,
  CommitmentPolicy,
  KmsKeyringNode,
  RawAesKeyringNode,
  RawAesWrappingSuiteIdentifier,
  type KeyringNode,
} from '@aws-crypto/client-node';
import { DecryptCommand, GenerateDataKeyCommand, KMS, KMSClient } from '@aws-sdk/client-kms';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { EncryptionSdkDecryptor } from '../../shared/adapters/kms/encryption-sdk-decryptor.ts';
import type { Integration } from '../../shared/domain/integrations/integration.ts';
import { CognitoSms, type CognitoSmsEvent } from '../../shared/domain/relay/cognito-sms.ts';
import type { RelayRequest } from '../../shared/domain/relay/relay-code.ts';

/**
 * Cognito's CustomSMSSender codes, made as Cognito makes them: the AWS Encryption SDK with a suite
 * without key commitment and `userpool-id` in the encryption context
 * (https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-lambda-custom-sms-sender.html).
 */
const POOL = 'eu-west-1_AbCdEf123';
const KEY_ARN = 'arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const cognitoEncrypt = buildClient(CommitmentPolicy.FORBID_ENCRYPT_ALLOW_DECRYPT).encrypt;

const rawKeyring = (key: Buffer) =>
  new RawAesKeyringNode({
    keyName: 'cognito',
    keyNamespace: 'test',
    unencryptedMasterKey: new Uint8Array(key),
    wrappingSuite: RawAesWrappingSuiteIdentifier.AES256_GCM_IV12_TAG16_NO_PADDING,
  });

async function cognitoCiphertext(keyring: KeyringNode, code: string, pool = POOL): Promise<string> {
  const { result } = await cognitoEncrypt(keyring, code, {
    encryptionContext: { 'userpool-id': pool },
    suiteId: AlgorithmSuiteIdentifier.ALG_AES256_GCM_IV12_TAG16_HKDF_SHA384_ECDSA_P384,
  });
  return result.toString('base64');
}

const integration: Integration = {
  id: 'int_cognito',
  storeId: 'ids_1',
  kind: 'cognito',
  name: 'pool',
  settings: { userPoolId: POOL, kmsKeyArn: KEY_ARN },
  createdAt: '',
  updatedAt: '',
  version: 1,
};

const event = (code: string, triggerSource = 'CustomSMSSender_Authentication'): CognitoSmsEvent => ({
  triggerSource,
  userPoolId: POOL,
  userName: 'alice',
  request: { code, userAttributes: { phone_number: '+447400123456', sub: 'abc' } },
});

let relayed: RelayRequest[];
const sender = (keyring: KeyringNode) =>
  new CognitoSms({
    integrations: { get: async (id) => (id === integration.id ? integration : undefined) },
    decryptor: new EncryptionSdkDecryptor(keyring),
    relay: {
      run: async (request) => {
        relayed.push(request);
        return {
          storeId: request.storeId,
          integrationId: request.integrationId,
          source: request.source,
          maskedPhone: '+44*******456',
          gatewayId: 'gw_1',
          gatewayType: 'console',
          providerMessageId: 'm1',
          replayed: false,
        };
      },
    },
  });

beforeEach(() => {
  relayed = [];
});

describe('Cognito CustomSMSSender', () => {
  const key = randomBytes(32);

  it('decrypts a Cognito-shaped ciphertext (raw AES keyring) and relays the code', async () => {
    await sender(rawKeyring(key)).run(
      integration.id,
      event(await cognitoCiphertext(rawKeyring(key), '482913')),
    );
    expect(relayed).toEqual([
      expect.objectContaining({ to: '+447400123456', channel: 'sms', code: '482913', source: 'cognito' }),
    ]);
  });

  it('maps trigger sources to messages and refuses unknown ones', async () => {
    const cipher = await cognitoCiphertext(rawKeyring(key), 'Tmp-Pass1');
    await sender(rawKeyring(key)).run(integration.id, event(cipher, 'CustomSMSSender_AdminCreateUser'));
    expect(relayed[0]!.text).toBe('Your username is alice and your temporary password is Tmp-Pass1');
    await sender(rawKeyring(key)).run(integration.id, event(cipher, 'CustomSMSSender_ForgotPassword'));
    expect(relayed[1]!.text).toBe('Your password reset code is Tmp-Pass1');
    await expect(
      sender(rawKeyring(key)).run(integration.id, event(cipher, 'CustomSMSSender_Other')),
    ).rejects.toThrow(/not relayed/);
  });

  it('refuses a wrong userpool-id, a wrong key and a tampered ciphertext, relaying nothing', async () => {
    const otherPool = await cognitoCiphertext(rawKeyring(key), '111111', 'eu-west-1_Other999');
    await expect(sender(rawKeyring(key)).run(integration.id, event(otherPool))).rejects.toThrow(/user pool/);
    const good = await cognitoCiphertext(rawKeyring(key), '222222');
    await expect(sender(rawKeyring(randomBytes(32))).run(integration.id, event(good))).rejects.toThrow();
    const bytes = Buffer.from(good, 'base64');
    bytes[bytes.length - 120]! ^= 0x01;
    await expect(
      sender(rawKeyring(key)).run(integration.id, event(bytes.toString('base64'))),
    ).rejects.toThrow();
    const fromOtherPool = { ...event(good), userPoolId: 'eu-west-1_Other999' };
    await expect(sender(rawKeyring(key)).run(integration.id, fromOtherPool)).rejects.toThrow(/user pool/);
    expect(relayed).toEqual([]);
  });

  it('with KmsKeyringNode and a mocked KMS, makes exactly one Decrypt', async () => {
    const kms = mockClient(KMSClient);
    const dataKey = randomBytes(32);
    const wrapped = randomBytes(64);
    // Copies: the Encryption SDK zeroes the buffers it is given.
    kms.on(GenerateDataKeyCommand).callsFake(async () => ({
      KeyId: KEY_ARN,
      Plaintext: new Uint8Array(dataKey),
      CiphertextBlob: new Uint8Array(wrapped),
    }));
    kms.on(DecryptCommand).callsFake(async () => ({ KeyId: KEY_ARN, Plaintext: new Uint8Array(dataKey) }));
    const client = new KMS({ region: 'eu-west-1' });
    const keyring = new KmsKeyringNode({ generatorKeyId: KEY_ARN, clientProvider: () => client });
    const cipher = await cognitoCiphertext(keyring, '909090');
    kms.resetHistory();
    await sender(new KmsKeyringNode({ keyIds: [KEY_ARN], clientProvider: () => client })).run(
      integration.id,
      event(cipher),
    );
    expect(kms.commandCalls(DecryptCommand)).toHaveLength(1);
    expect(kms.commandCalls(DecryptCommand)[0]!.args[0].input.KeyId).toBe(KEY_ARN);
    expect(relayed[0]!.code).toBe('909090');
    kms.restore();
  });
});
