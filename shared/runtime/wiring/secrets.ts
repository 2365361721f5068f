import { throttledSecrets } from '../../adapters/faults/throttled.ts';
import { CachedSecretStore } from '../../adapters/secrets/cached-secret-store.ts';
import { EncryptedFileStore } from '../../adapters/secrets/encrypted-file-store.ts';
import { SecretsManagerStore } from '../../adapters/secrets/secrets-manager-store.ts';
import type { SecretStore } from '../../ports/secret-store.ts';
import { feature, type Context } from '../context.ts';

const lazy = <T>(make: () => T): (() => T) => {
  let made: { value: T } | undefined;
  return () => (made ??= { value: make() }).value;
};

/** The secret store, for the features that hold credentials, the pepper or the origin-verify secret. */
export const secrets = /* @__PURE__ */ feature('secrets', (ctx) => secretStore(ctx));

/** Either store under Powertools' cache: reads say how old a value may be (gateway credentials). */
function secretStore(ctx: Context): SecretStore {
  const { config, parts } = ctx;
  if (config.faults.has('secrets')) return throttledSecrets();
  if (parts.secrets) return parts.secrets;
  if (config.secretStore !== 'file') {
    return new CachedSecretStore(
      new SecretsManagerStore(
        async () => new (await import('@aws-sdk/client-secrets-manager')).SecretsManagerClient({}),
        config.secretNamePrefix,
        config.secretKmsKeyId,
      ),
    );
  }
  const file = lazy(() => EncryptedFileStore.open(config.dataDir));
  return new CachedSecretStore({
    put: async (name, value) => (await file()).put(name, value),
    get: async (name) => (await file()).get(name),
    delete: async (name) => (await file()).delete(name),
  });
}
