import { BaseProvider } from '@aws-lambda-powertools/parameters/base';
import { GetParameterError } from '@aws-lambda-powertools/parameters/errors';
import type { SecretReadOptions, SecretStore, SecretValue } from '../../ports/secret-store.ts';

/**
 * Powertools Parameters' provider cache over a secret store. Not its ready-made SecretsProvider:
 * that module imports the SDK statically, and bundled (with the SDK external) the import is hoisted
 * to the top of the bundle, so every function would load the SDK at init again. Extending
 * BaseProvider is Powertools' documented way to bring a source of one's own; the store under it still
 * imports the SDK on first use.
 */
class StoreProvider extends BaseProvider {
  constructor(private readonly inner: SecretStore) {
    super({});
  }

  protected _get(name: string): Promise<SecretValue | undefined> {
    return this.inner.get(name);
  }

  protected _getMultiple(): Promise<Record<string, unknown> | undefined> {
    return Promise.reject(new Error('secrets are read one by one'));
  }
}

/**
 * Reads honour `maxAgeSeconds` (Powertools `maxAge`) and `fresh` (`forceFetch`). Writes pass through
 * and leave the cache alone, as in every other warm function: a value is at most `maxAgeSeconds` old,
 * and a provider's refusal of stale credentials triggers a fresh read.
 */
export class CachedSecretStore implements SecretStore {
  private readonly provider: StoreProvider;

  constructor(private readonly inner: SecretStore) {
    this.provider = new StoreProvider(inner);
  }

  async get(name: string, options: SecretReadOptions = {}): Promise<SecretValue | undefined> {
    try {
      return (await this.provider.get(name, {
        maxAge: options.maxAgeSeconds ?? 0,
        // Without a max age the read goes through, whatever another caller left in the cache.
        forceFetch: options.fresh === true || !options.maxAgeSeconds,
      })) as SecretValue | undefined;
    } catch (error) {
      // Powertools wraps the store's error; the SDK's own type is what callers (and the 503 mapping) know.
      throw error instanceof GetParameterError && error.cause ? error.cause : error;
    }
  }

  put(name: string, value: SecretValue): Promise<void> {
    return this.inner.put(name, value);
  }

  delete(name: string): Promise<void> {
    return this.inner.delete(name);
  }
}
