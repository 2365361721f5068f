import type { Clock } from '../ports/clock.ts';
import type { Random } from '../ports/random.ts';
import type { SecretStore, SecretValue } from '../ports/secret-store.ts';

/** How long a warm process keeps a service secret before reading it again (a rotation shows within it). */
const SERVICE_SECRET_MAX_AGE_MS = 5 * 60_000;

export interface ServiceSecretOptions {
  /** Locally the secret is created on first use; deployed, CDK generates it and a missing one is an error. */
  createIfMissing: boolean;
  maxAgeMs?: number;
}

/**
 * A service secret (the code pepper, the receipt key) read from the secret store and kept in the warm
 * process for a few minutes. One read (or creation) at a time: concurrent first requests must not each
 * create a different value.
 */
export class ServiceSecret<T> {
  private cached: { value: T; until: number } | undefined;
  private loading: Promise<T> | undefined;

  constructor(
    private readonly spec: {
      name: string;
      /** The JSON field that holds the generated value. */
      field: string;
      /** What the caller keeps of the secret's fields. */
      parse: (secret: SecretValue) => T;
    },
    private readonly secrets: SecretStore,
    private readonly clock: Clock,
    private readonly random: Random,
    private readonly options: ServiceSecretOptions,
  ) {}

  async value(): Promise<T> {
    const now = this.clock.now().getTime();
    if (this.cached && this.cached.until > now) return this.cached.value;
    this.loading ??= this.load(now).finally(() => {
      this.loading = undefined;
    });
    return this.loading;
  }

  private async load(now: number): Promise<T> {
    const { name, field } = this.spec;
    let secret = await this.secrets.get(name);
    if (!secret?.[field]) {
      if (!this.options.createIfMissing) throw new Error(`the secret ${name} holds no ${field}`);
      await this.secrets.put(name, { [field]: this.random.bytes(32).toString('base64') });
      secret = await this.secrets.get(name);
    }
    const value = this.spec.parse({ ...secret, [field]: secret?.[field] ?? '' });
    this.cached = { value, until: now + (this.options.maxAgeMs ?? SERVICE_SECRET_MAX_AGE_MS) };
    return value;
  }
}
