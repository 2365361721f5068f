import type { Clock } from '../../ports/clock.ts';
import type { Random } from '../../ports/random.ts';
import type { SecretStore } from '../../ports/secret-store.ts';
import { ServiceSecret, type ServiceSecretOptions } from '../service-secret.ts';

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
  private readonly secret: ServiceSecret<PepperSet>;

  constructor(secrets: SecretStore, clock: Clock, random: Random, options: ServiceSecretOptions) {
    this.secret = new ServiceSecret(
      {
        name: PEPPER_SECRET_NAME,
        field: 'pepper',
        parse: (value) => pepperSet({ ...value, pepper: value.pepper ?? '' }),
      },
      secrets,
      clock,
      random,
      options,
    );
  }

  /** The current pepper: what new codes are hashed with. */
  async get(): Promise<Buffer> {
    return (await this.versions()).current.value;
  }

  /** The current and (during a rotation's overlap) the previous pepper, and the phone-key material. */
  versions(): Promise<PepperSet> {
    return this.secret.value();
  }
}
