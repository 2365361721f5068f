import type { ApiKeyRepository } from '../../ports/api-key-repository.ts';
import type { ApplicationRepository } from '../../ports/application-repository.ts';
import type { Clock } from '../../ports/clock.ts';
import type { IdentityStoreRepository } from '../../ports/identity-store-repository.ts';
import type { Random } from '../../ports/random.ts';
import { NotFound } from '../errors.ts';
import type { MfaPolicy } from '../applications/application.ts';
import { newId } from '../ids.ts';
import type { MessageOptions } from '../messages/message-options.ts';
import {
  formatApiKey,
  hashApiKey,
  KEY_ID_PREFIX,
  keyMatches,
  LAST_USED_RESOLUTION_MS,
  parseApiKey,
  type ApiKeyRecord,
} from './api-key.ts';

export interface ApiKeyServiceDeps {
  keys: ApiKeyRepository;
  stores: Pick<IdentityStoreRepository, 'get'>;
  applications: Pick<ApplicationRepository, 'get'>;
  clock: Clock;
  random: Random;
}

export interface ClientIdentity {
  storeId: string;
  keyId: string;
  /** The key's application, with its own policy (null: it follows the store); absent for a store-level key. */
  application?: { id: string; mfaPolicy: MfaPolicy | null; messageOptions?: MessageOptions };
}

export type ApiKeyView = Pick<ApiKeyRecord, 'id' | 'name' | 'applicationId' | 'createdAt' | 'lastUsedAt'>;

const view = ({ id, name, applicationId, createdAt, lastUsedAt }: ApiKeyRecord): ApiKeyView => ({
  id,
  name,
  applicationId,
  createdAt,
  lastUsedAt,
});

export class ApiKeyService {
  constructor(private readonly deps: ApiKeyServiceDeps) {}

  /** The only moment the key exists in clear: it is returned once and only its hash is stored. */
  async create(
    storeId: string,
    name: string,
    applicationId: string | null = null,
  ): Promise<ApiKeyView & { key: string }> {
    const { clock, random } = this.deps;
    const id = newId(KEY_ID_PREFIX, clock, random);
    const key = formatApiKey(id, random.bytes(32));
    const record: ApiKeyRecord = {
      id,
      storeId,
      name,
      applicationId,
      hash: hashApiKey(key),
      createdAt: clock.now().toISOString(),
      lastUsedAt: null,
    };
    await this.deps.keys.create(record);
    return { ...view(record), key };
  }

  async list(storeId: string): Promise<ApiKeyView[]> {
    await this.requireStore(storeId);
    return (await this.deps.keys.listByStore(storeId)).map(view);
  }

  async revoke(storeId: string, keyId: string): Promise<void> {
    await this.deps.keys.delete(storeId, keyId);
  }

  /** The client identity behind a bearer key, or undefined for a missing, malformed, wrong or revoked key. */
  async authenticate(authorization: string | undefined): Promise<ClientIdentity | undefined> {
    const raw = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '')?.[1];
    const parsed = raw ? parseApiKey(raw) : undefined;
    if (!raw || !parsed) return undefined;
    const record = await this.deps.keys.get(parsed.id);
    if (!record || !keyMatches(raw, record)) return undefined;
    // Until the sweep has removed them, keys of a deleted store (or application) are still in the table.
    const [store, application] = await Promise.all([
      this.deps.stores.get(record.storeId),
      record.applicationId ? this.deps.applications.get(record.storeId, record.applicationId) : undefined,
    ]);
    if (!store || (record.applicationId && !application)) return undefined;
    const now = this.deps.clock.now();
    const staleBefore = new Date(now.getTime() - LAST_USED_RESOLUTION_MS).toISOString();
    if (!record.lastUsedAt || record.lastUsedAt < staleBefore) {
      await this.deps.keys.touch(record.id, now.toISOString(), staleBefore);
    }
    return {
      storeId: record.storeId,
      keyId: record.id,
      ...(application
        ? {
            application: {
              id: application.id,
              mfaPolicy: application.mfaPolicy,
              ...(application.messageOptions ? { messageOptions: application.messageOptions } : {}),
            },
          }
        : {}),
    };
  }

  private async requireStore(storeId: string): Promise<void> {
    if (!(await this.deps.stores.get(storeId))) throw new NotFound('The identity store');
  }
}
