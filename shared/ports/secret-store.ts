/**
 * Credentials never touch the table. Names are relative (`gateways/<id>`); each adapter scopes them
 * (Secrets Manager: a stack-specific name prefix; local: an encrypted file).
 */
export type SecretValue = Record<string, string>;

/** How stale a read may be: a store may answer from its cache for `maxAgeSeconds`; `fresh` skips it. */
export interface SecretReadOptions {
  maxAgeSeconds?: number;
  fresh?: boolean;
}

export interface SecretStore {
  /** Creates the secret or replaces its value. */
  put(name: string, value: SecretValue): Promise<void>;
  /** Without options, read through: no cached value. */
  get(name: string, options?: SecretReadOptions): Promise<SecretValue | undefined>;
  /** Idempotent: deleting a missing secret is not an error. */
  delete(name: string): Promise<void>;
}
