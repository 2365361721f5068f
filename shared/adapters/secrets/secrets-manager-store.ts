import {
  CreateSecretCommand,
  DeleteSecretCommand,
  GetSecretValueCommand,
  PutSecretValueCommand,
  ResourceExistsException,
  ResourceNotFoundException,
  type SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import type { SecretStore, SecretValue } from '../../ports/secret-store.ts';

const PREFIX = /^[A-Za-z0-9/_+=.@-]+\/$/;

export class SecretsManagerStore implements SecretStore {
  constructor(
    private readonly client: SecretsManagerClient,
    private readonly namePrefix: string,
  ) {
    // IAM grants `<prefix>*`: without the trailing `/`, `sms-mfa/dev*` would also reach `sms-mfa/dev2/...`.
    if (!PREFIX.test(namePrefix)) {
      throw new Error(
        `Invalid secret name prefix ${JSON.stringify(namePrefix)}: use A-Za-z0-9/_+=.@- and end with /`,
      );
    }
  }

  async put(name: string, value: SecretValue): Promise<void> {
    const Name = this.namePrefix + name;
    const SecretString = JSON.stringify(value);
    try {
      await this.client.send(
        new CreateSecretCommand({ Name, SecretString, Description: 'sms-mfa credentials' }),
      );
    } catch (error) {
      if (!(error instanceof ResourceExistsException)) throw error;
      await this.client.send(new PutSecretValueCommand({ SecretId: Name, SecretString }));
    }
  }

  async get(name: string): Promise<SecretValue | undefined> {
    const SecretId = this.namePrefix + name;
    let secretString: string | undefined;
    try {
      ({ SecretString: secretString } = await this.client.send(new GetSecretValueCommand({ SecretId })));
    } catch (error) {
      if (error instanceof ResourceNotFoundException) return undefined;
      throw error;
    }
    const value = parseSecretValue(secretString);
    if (!value) throw new Error(`Secret ${SecretId} does not hold a JSON object of strings`);
    return value;
  }

  async delete(name: string): Promise<void> {
    try {
      // Without recovery: a deleted gateway's credentials must not linger for the 7-30 day window.
      await this.client.send(
        new DeleteSecretCommand({ SecretId: this.namePrefix + name, ForceDeleteWithoutRecovery: true }),
      );
    } catch (error) {
      if (!(error instanceof ResourceNotFoundException)) throw error;
    }
  }
}

/** Returns undefined rather than throwing: JSON.parse errors quote the input, which is the secret. */
function parseSecretValue(text: string | undefined): SecretValue | undefined {
  if (text === undefined) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return undefined;
  return Object.values(parsed).every((v) => typeof v === 'string') ? (parsed as SecretValue) : undefined;
}
