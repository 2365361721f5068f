import { BaseProvider } from '@aws-lambda-powertools/parameters/base';
import { GetParameterError } from '@aws-lambda-powertools/parameters/errors';
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { SecretReadOptions, SecretStore, SecretValue } from '../../ports/secret-store.ts';

/**
 * The SDK is imported on first use, not at module load: importing a client costs 150-200 ms of cold
 * start, and most functions that build this store never touch a secret.
 */
const sdk = () => import('@aws-sdk/client-secrets-manager');

/**
 * Powertools Parameters' cache (`maxAge`, `forceFetch`) over GetSecretValue. Not its ready-made
 * SecretsProvider: that module imports the SDK statically, and bundled (with the SDK external) the
 * import is hoisted to the top of the bundle, so every function would load the SDK at init again.
 * Extending BaseProvider is Powertools' documented way to bring a provider of one's own.
 */
class LazySecretsProvider extends BaseProvider {
  constructor(private readonly sdkClient: () => Promise<SecretsManagerClient>) {
    super({});
  }

  protected async _get(name: string): Promise<string | undefined> {
    const { GetSecretValueCommand } = await sdk();
    const client = await this.sdkClient();
    return (await client.send(new GetSecretValueCommand({ SecretId: name }))).SecretString;
  }

  protected _getMultiple(): Promise<Record<string, unknown> | undefined> {
    return Promise.reject(new Error('secrets are read one by one'));
  }
}

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
  private readonly provider = new LazySecretsProvider(() => this.client());

  /** After a write in this process, no read may answer the old value from the cache. */
  private forgetCached(): void {
    this.provider.clearCache();
  }

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
    this.forgetCached();
  }

  async get(name: string, options: SecretReadOptions = {}): Promise<SecretValue | undefined> {
    const { ResourceNotFoundException } = await sdk();
    const SecretId = this.namePrefix + name;
    let secretString: string | undefined;
    try {
      const value = await this.provider.get(SecretId, {
        maxAge: options.maxAgeSeconds ?? 0,
        // Without a max age the read goes through, whatever another caller left in the cache.
        forceFetch: options.fresh === true || !options.maxAgeSeconds,
      });
      secretString = typeof value === 'string' ? value : undefined;
    } catch (error) {
      // Powertools wraps the SDK's error; the SDK's own type is what callers (and the 503 mapping) know.
      const cause = error instanceof GetParameterError && error.cause ? error.cause : error;
      if (cause instanceof ResourceNotFoundException) return undefined;
      throw cause;
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
    this.forgetCached();
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
