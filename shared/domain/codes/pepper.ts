import type { Clock } from '../../ports/clock.ts';
import type { Random } from '../../ports/random.ts';
import type { SecretStore } from '../../ports/secret-store.ts';

import { pepperSet, phoneKey, type PepperSet } from './pepper-versions.ts';

/** What the use cases need of the pepper. */
export type Pepper = Pick<PepperSource, 'get' | 'versions'>;

/** A number as table keys hold it: an HMAC with the pepper secret's key material. */
export async function keyedPhone(pepper: Pepper, phone: string): Promise<string> {
  return phoneKey((await pepper.versions()).keys, phone);
}

export const PEPPER_SECRET_NAME = 'code-pepper';

/**
 * The code pepper, read from the secret store and kept in the warm process for a few minutes.
 * Where it may (local mode), a missing pepper is created; deployed, CDK generates it.
 */
export class PepperSource {
  private cached: { value: PepperSet; until: number } | undefined;
  /** One read (or creation) at a time: concurrent first requests must not each create a pepper. */
  private loading: Promise<PepperSet> | undefined;

  constructor(
    private readonly secrets: SecretStore,
    private readonly clock: Clock,
    private readonly random: Random,
    private readonly options: { createIfMissing: boolean; maxAgeMs?: number },
  ) {}

  /** The current pepper: what new codes are hashed with. */
  async get(): Promise<Buffer> {
    return (await this.versions()).current.value;
  }

  /** The current and (during a rotation's overlap) the previous pepper, and the phone-key material. */
  async versions(): Promise<PepperSet> {
    const now = this.clock.now().getTime();
    if (this.cached && this.cached.until > now) return this.cached.value;
    this.loading ??= this.load(now).finally(() => {
      this.loading = undefined;
    });
    return this.loading;
  }

  private async load(now: number): Promise<PepperSet> {
    let secret = await this.secrets.get(PEPPER_SECRET_NAME);
    if (!secret?.pepper) {
      if (!this.options.createIfMissing) throw new Error(`the secret ${PEPPER_SECRET_NAME} holds no pepper`);
      await this.secrets.put(PEPPER_SECRET_NAME, { pepper: this.random.bytes(32).toString('base64') });
      secret = await this.secrets.get(PEPPER_SECRET_NAME);
    }
    const value = pepperSet({ ...secret, pepper: secret?.pepper ?? '' });
    this.cached = { value, until: now + (this.options.maxAgeMs ?? 5 * 60_000) };
    return value;
  }
}
