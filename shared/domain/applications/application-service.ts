import type { ApiKeyRepository } from '../../ports/api-key-repository.ts';
import type { ApplicationRepository } from '../../ports/application-repository.ts';
import type { Clock } from '../../ports/clock.ts';
import type { Page, PageRequest } from '../../ports/gateway-repository.ts';
import type { Random } from '../../ports/random.ts';
import { NotFound } from '../errors.ts';
import { newId } from '../ids.ts';
import { mergePatch } from '../merge-patch.ts';
import { changeVersioned } from '../versioning.ts';
import { APPLICATION_ID_PREFIX, type Application, type MfaPolicy } from './application.ts';

type Nullable<T> = { [K in keyof T]?: T[K] | null };

export interface ApplicationInput {
  name: string;
  mfaPolicy?: Nullable<MfaPolicy> | null;
}

export type ApplicationPatch = Partial<ApplicationInput>;

export interface ApplicationServiceDeps {
  applications: ApplicationRepository;
  keys: Pick<ApiKeyRepository, 'listByStore' | 'delete'>;
  stores: { get(id: string): Promise<unknown> };
  clock: Clock;
  random: Random;
}

/** `null` follows the store; a policy of its own gets the documented defaults for what it leaves out. */
function policyOf(input: ApplicationInput['mfaPolicy']): MfaPolicy | null {
  if (!input) return null;
  return {
    enabled: input.enabled ?? false,
    enforcedRoles: input.enforcedRoles ?? [],
    identitySources: input.identitySources ?? [],
  };
}

export class ApplicationService {
  constructor(private readonly deps: ApplicationServiceDeps) {}

  async create(storeId: string, input: ApplicationInput): Promise<Application> {
    const { clock, random } = this.deps;
    const now = clock.now().toISOString();
    const application: Application = {
      id: newId(APPLICATION_ID_PREFIX, clock, random),
      storeId,
      name: input.name,
      mfaPolicy: policyOf(input.mfaPolicy),
      createdAt: now,
      updatedAt: now,
      version: 1,
    };
    await this.deps.applications.create(application);
    return application;
  }

  async get(storeId: string, id: string): Promise<Application> {
    const application = await this.deps.applications.get(storeId, id);
    if (!application) throw new NotFound('The application');
    return application;
  }

  async list(storeId: string, page: PageRequest): Promise<Page<Application>> {
    if (!(await this.deps.stores.get(storeId))) throw new NotFound('The identity store');
    return this.deps.applications.list(storeId, page);
  }

  async update(storeId: string, id: string, patch: ApplicationPatch, ifMatch?: number) {
    return changeVersioned(
      ifMatch,
      'The application',
      () => this.get(storeId, id),
      async (current) => {
        const merged = mergePatch<ApplicationInput>(
          { name: current.name, mfaPolicy: current.mfaPolicy },
          patch,
        );
        const next: Application = {
          ...current,
          name: merged.name,
          mfaPolicy: policyOf(merged.mfaPolicy),
          updatedAt: this.deps.clock.now().toISOString(),
          version: current.version + 1,
        };
        await this.deps.applications.update(next, current);
        return next;
      },
    );
  }

  /**
   * Deleting the item is the revocation: the authorizer accepts an application's key only while its
   * application exists, and a key is created only on condition that it does (same transaction), so a
   * key created while the delete runs is either found by the clean-up below or refused. The clean-up
   * then removes the keys so that they leave the list.
   */
  async delete(storeId: string, id: string, ifMatch?: number): Promise<void> {
    await changeVersioned(
      ifMatch,
      'The application',
      () => this.get(storeId, id),
      async (current) => {
        await this.deps.applications.delete(current);
      },
    );
    const keys = await this.deps.keys.listByStore(storeId);
    await Promise.all(
      keys
        .filter((key) => key.applicationId === id)
        .map((key) => this.deps.keys.delete(storeId, key.id).catch(ignoreNotFound)),
    );
  }
}

function ignoreNotFound(error: unknown): void {
  if (!(error instanceof NotFound)) throw error;
}
