/**
 * Credentials never touch the table. Names are relative (`gateways/<id>`); each adapter scopes them
 * (Secrets Manager: a stack-specific name prefix; local: an encrypted file).
 */
export type SecretValue = Record<string, string>;

export interface SecretStore {
  /** Creates the secret or replaces its value. */
  put(name: string, value: SecretValue): Promise<void>;
  get(name: string): Promise<SecretValue | undefined>;
  /** Idempotent: deleting a missing secret is not an error. */
  delete(name: string): Promise<void>;
}
