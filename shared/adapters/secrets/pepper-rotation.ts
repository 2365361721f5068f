import {
  DescribeSecretCommand,
  GetSecretValueCommand,
  PutSecretValueCommand,
  ResourceNotFoundException,
  UpdateSecretVersionStageCommand,
  type SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { nextPepperSecret, pepperSet, type PepperSecret } from '../../domain/codes/pepper-versions.ts';
import type { Random } from '../../ports/random.ts';

export type RotationStep = 'createSecret' | 'setSecret' | 'testSecret' | 'finishSecret';

/**
 * Secrets Manager's rotation protocol for the code pepper: `createSecret` stages the next version
 * (AWSPENDING) with the current pepper kept as previous; `finishSecret` moves AWSCURRENT to it. Every step
 * is idempotent, as Secrets Manager may call it again. No other system holds the pepper, so `setSecret`
 * has nothing to do and `testSecret` only checks the staged value.
 */
export class PepperRotation {
  constructor(
    private readonly client: SecretsManagerClient,
    private readonly random: Random,
  ) {}

  async run(step: RotationStep, secretId: string, token: string): Promise<void> {
    if (step === 'createSecret') return this.create(secretId, token);
    if (step === 'testSecret')
      return void pepperSet(await this.read(secretId, { VersionId: token, VersionStage: 'AWSPENDING' }));
    if (step === 'finishSecret') return this.finish(secretId, token);
  }

  private async read(
    secretId: string,
    version: { VersionId?: string; VersionStage: string },
  ): Promise<PepperSecret> {
    const answer = await this.client.send(new GetSecretValueCommand({ SecretId: secretId, ...version }));
    return JSON.parse(answer.SecretString ?? '{}') as PepperSecret;
  }

  private async create(secretId: string, token: string): Promise<void> {
    try {
      await this.read(secretId, { VersionId: token, VersionStage: 'AWSPENDING' });
      return;
    } catch (error) {
      if (!(error instanceof ResourceNotFoundException)) throw error;
    }
    const current = await this.read(secretId, { VersionStage: 'AWSCURRENT' });
    await this.client.send(
      new PutSecretValueCommand({
        SecretId: secretId,
        ClientRequestToken: token,
        SecretString: JSON.stringify(nextPepperSecret(current, this.random)),
        VersionStages: ['AWSPENDING'],
      }),
    );
  }

  private async finish(secretId: string, token: string): Promise<void> {
    const described = await this.client.send(new DescribeSecretCommand({ SecretId: secretId }));
    const versions = Object.entries(described.VersionIdsToStages ?? {});
    const current = versions.find(([, stages]) => stages.includes('AWSCURRENT'))?.[0];
    if (current === token) return;
    await this.client.send(
      new UpdateSecretVersionStageCommand({
        SecretId: secretId,
        VersionStage: 'AWSCURRENT',
        MoveToVersionId: token,
        ...(current ? { RemoveFromVersionId: current } : {}),
      }),
    );
  }
}
