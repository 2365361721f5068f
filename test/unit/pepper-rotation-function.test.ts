import {
  DescribeSecretCommand,
  GetSecretValueCommand,
  PutSecretValueCommand,
  ResourceNotFoundException,
  SecretsManagerClient,
  UpdateSecretVersionStageCommand,
} from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { PepperRotation } from '../../shared/adapters/secrets/pepper-rotation.ts';
import { cryptoRandom } from '../../shared/ports/random.ts';

const sm = mockClient(SecretsManagerClient);
const SECRET = 'arn:aws:secretsmanager:us-east-1:111122223333:secret:sms-mfa/dev/code-pepper-AbCdEf';
const TOKEN = '0f3c1b2a-4d5e-4f60-8a7b-9c0d1e2f3a4b';
const current = { pepper: 'p'.repeat(64) };
const rotation = () => new PepperRotation(new SecretsManagerClient({}), cryptoRandom);

beforeEach(() => sm.reset());

describe('pepper rotation (Secrets Manager rotation steps)', () => {
  it('createSecret stages the next version with the current pepper kept as previous', async () => {
    sm.on(GetSecretValueCommand, { SecretId: SECRET, VersionId: TOKEN, VersionStage: 'AWSPENDING' }).rejects(
      new ResourceNotFoundException({ message: 'no pending version', $metadata: {} }),
    );
    sm.on(GetSecretValueCommand, { SecretId: SECRET, VersionStage: 'AWSCURRENT' }).resolves({
      SecretString: JSON.stringify(current),
    });
    await rotation().run('createSecret', SECRET, TOKEN);
    const puts = sm.commandCalls(PutSecretValueCommand);
    expect(puts).toHaveLength(1);
    const input = puts[0]!.args[0].input;
    expect(input).toMatchObject({
      SecretId: SECRET,
      ClientRequestToken: TOKEN,
      VersionStages: ['AWSPENDING'],
    });
    const staged = JSON.parse(input.SecretString ?? '{}');
    expect(staged).toMatchObject({
      version: '2',
      previousPepper: current.pepper,
      previousVersion: '1',
      keyPepper: current.pepper,
    });
    expect(staged.pepper).not.toBe(current.pepper);
    expect(staged.pepper.length).toBeGreaterThanOrEqual(32);
  });

  it('createSecret is idempotent: a staged version is left as it is', async () => {
    sm.on(GetSecretValueCommand).resolves({ SecretString: JSON.stringify({ ...current, version: '2' }) });
    await rotation().run('createSecret', SECRET, TOKEN);
    expect(sm.commandCalls(PutSecretValueCommand)).toHaveLength(0);
  });

  it('testSecret refuses a staged value without a usable pepper', async () => {
    sm.on(GetSecretValueCommand).resolves({ SecretString: JSON.stringify({ pepper: 'short' }) });
    await expect(rotation().run('testSecret', SECRET, TOKEN)).rejects.toThrow(/shorter than 32/);
  });

  it('finishSecret moves AWSCURRENT to the new version, once', async () => {
    sm.on(DescribeSecretCommand).resolvesOnce({
      VersionIdsToStages: { old: ['AWSCURRENT'], [TOKEN]: ['AWSPENDING'] },
    });
    await rotation().run('finishSecret', SECRET, TOKEN);
    expect(sm.commandCalls(UpdateSecretVersionStageCommand).map((c) => c.args[0].input)).toEqual([
      { SecretId: SECRET, VersionStage: 'AWSCURRENT', MoveToVersionId: TOKEN, RemoveFromVersionId: 'old' },
    ]);
    sm.on(DescribeSecretCommand).resolves({ VersionIdsToStages: { [TOKEN]: ['AWSCURRENT'] } });
    await rotation().run('finishSecret', SECRET, TOKEN);
    expect(sm.commandCalls(UpdateSecretVersionStageCommand)).toHaveLength(1);
  });

  it('setSecret has nothing to do: no other system holds the pepper', async () => {
    await rotation().run('setSecret', SECRET, TOKEN);
    expect(sm.calls()).toHaveLength(0);
  });
});
