import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { SecretStore, SecretValue } from '../../ports/secret-store.ts';

/**
 * The SDK is imported on first use, not at module load: importing a client costs 150-200 ms of cold
 * start, and most functions that build this store never touch a secret.
 */
const sdk = () => import('@aws-sdk/client-secrets-manager');

const PREFIX = /^[A-Za-z0-9/_+=.@-]+\/$/;

export class SecretsManagerStore implements SecretStore {
  constructor(
    private readonly clientOrFactory: SecretsManagerClient | (() => Promise<SecretsManagerClient>),
    private readonly namePrefix: string,
  ) {
    // IAM grants `<prefix>*`: without the trailing `/`, `sms-mfa/dev*` would also reach `sms-mfa/dev2/...`.
    if (!PREFIX.test(namePrefix)) {
      throw new Error(
        `Invalid secret name prefix ${JSON.stringify(namePrefix)}: use A-Za-z0-9/_+=.@- and end with /`,
      );
    }
  }

  private clientPromise: Promise<SecretsManagerClient> | undefined;

  private client(): Promise<SecretsManagerClient> {
    const source = this.clientOrFactory;
    this.clientPromise ??= typeof source === 'function' ? source() : Promise.resolve(source);
    return this.clientPromise;
  }

  async put(name: string, value: SecretValue): Promise<void> {
    const { CreateSecretCommand, PutSecretValueCommand, ResourceExistsException } = await sdk();
    const client = await this.client();
    const Name = this.namePrefix + name;
    const SecretString = JSON.stringify(value);
    try {
      await client.send(new CreateSecretCommand({ Name, SecretString, Description: 'sms-mfa credentials' }));
    } catch (error) {
      if (!(error instanceof ResourceExistsException)) throw error;
      await client.send(new PutSecretValueCommand({ SecretId: Name, SecretString }));
    }
  }

  async get(name: string): Promise<SecretValue | undefined> {
    const { GetSecretValueCommand, ResourceNotFoundException } = await sdk();
    const client = await this.client();
    const SecretId = this.namePrefix + name;
    let secretString: string | undefined;
    try {
      ({ SecretString: secretString } = await client.send(new GetSecretValueCommand({ SecretId })));
    } catch (error) {
      if (error instanceof ResourceNotFoundException) return undefined;
      throw error;
    }
    const value = parseSecretValue(secretString);
    if (!value) throw new Error(`Secret ${SecretId} does not hold a JSON object of strings`);
    return value;
  }

  async delete(name: string): Promise<void> {
    const { DeleteSecretCommand, ResourceNotFoundException } = await sdk();
    const client = await this.client();
    try {
      // Without recovery: a deleted gateway's credentials must not linger for the 7-30 day window.
      await client.send(
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
