import type { Clock } from '../../ports/clock.ts';
import type { Random } from '../../ports/random.ts';
import type { SecretStore } from '../../ports/secret-store.ts';

export const PEPPER_SECRET_NAME = 'code-pepper';

/**
 * The code pepper, read from the secret store and kept in the warm process for a few minutes.
 * Where it may (local mode), a missing pepper is created; deployed, CDK generates it.
 */
export class PepperSource {
  private cached: { value: Buffer; until: number } | undefined;
  /** One read (or creation) at a time: concurrent first requests must not each create a pepper. */
  private loading: Promise<Buffer> | undefined;

  constructor(
    private readonly secrets: SecretStore,
    private readonly clock: Clock,
    private readonly random: Random,
    private readonly options: { createIfMissing: boolean; maxAgeMs?: number },
  ) {}

  async get(): Promise<Buffer> {
    const now = this.clock.now().getTime();
    if (this.cached && this.cached.until > now) return this.cached.value;
    this.loading ??= this.load(now).finally(() => {
      this.loading = undefined;
    });
    return this.loading;
  }

  private async load(now: number): Promise<Buffer> {
    let secret = await this.secrets.get(PEPPER_SECRET_NAME);
    if (!secret?.pepper) {
      if (!this.options.createIfMissing) throw new Error(`the secret ${PEPPER_SECRET_NAME} holds no pepper`);
      await this.secrets.put(PEPPER_SECRET_NAME, { pepper: this.random.bytes(32).toString('base64') });
      secret = await this.secrets.get(PEPPER_SECRET_NAME);
    }
    // Any string of at least 32 characters: CDK generates one, local mode writes 32 random bytes in base64.
    const value = Buffer.from(secret?.pepper ?? '', 'utf8');
    if (value.length < 32)
      throw new Error(`the secret ${PEPPER_SECRET_NAME} holds a pepper shorter than 32 characters`);
    this.cached = { value, until: now + (this.options.maxAgeMs ?? 5 * 60_000) };
    return value;
  }
}
