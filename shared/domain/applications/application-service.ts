import type { ApiKeyRepository } from '../../ports/api-key-repository.ts';
import type { ApplicationRepository } from '../../ports/application-repository.ts';
import type { Clock } from '../../ports/clock.ts';
import type { Page, PageRequest } from '../../ports/gateway-repository.ts';
import type { Random } from '../../ports/random.ts';
import { NotFound, ValidationFailed, type FieldError } from '../errors.ts';
import type { IdentityStore } from '../identity-stores/identity-store.ts';
import {
  normalizedOriginDomain,
  originDomainProblem,
  type MessageOptions,
} from '../messages/message-options.ts';
import { budgetErrors, namedTemplates } from '../messages/segment-budget.ts';
import { newId } from '../ids.ts';
import { mergePatch } from '../merge-patch.ts';
import { changeVersioned } from '../versioning.ts';
import { APPLICATION_ID_PREFIX, type Application, type MfaPolicy } from './application.ts';

type Nullable<T> = { [K in keyof T]?: T[K] | null };

export interface ApplicationInput {
  name: string;
  mfaPolicy?: Nullable<MfaPolicy> | null;
  messageOptions?: Nullable<MessageOptions> | null;
}

export type ApplicationPatch = Partial<ApplicationInput>;

export interface ApplicationServiceDeps {
  applications: ApplicationRepository;
  keys: Pick<ApiKeyRepository, 'listByStore' | 'delete'>;
  stores: { get(id: string): Promise<IdentityStore | undefined> };
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

/** Both lines default to none; the domain is stored lower-cased, as the WebOTP line compares it. */
function messageOptionsOf(input: ApplicationInput['messageOptions']): MessageOptions {
  return {
    originDomain: input?.originDomain ? normalizedOriginDomain(input.originDomain) : null,
    androidAppHash: input?.androidAppHash ?? null,
  };
}

function messageOptionProblems(options: MessageOptions): FieldError[] {
  const problem = options.originDomain === null ? undefined : originDomainProblem(options.originDomain);
  return problem ? [{ path: 'messageOptions.originDomain', message: problem }] : [];
}

/** Where a segment error of this write goes: the option it wrote (the last line first). */
function writtenOptionPath(input: ApplicationInput['messageOptions']): string {
  return input?.originDomain == null && input?.androidAppHash != null
    ? 'messageOptions.androidAppHash'
    : 'messageOptions.originDomain';
}

export class ApplicationService {
  constructor(private readonly deps: ApplicationServiceDeps) {}

  async create(storeId: string, input: ApplicationInput): Promise<Application> {
    const { clock, random } = this.deps;
    const messageOptions = messageOptionsOf(input.messageOptions);
    await this.checkLines(storeId, input.name, messageOptions, input.messageOptions);
    const now = clock.now().toISOString();
    const application: Application = {
      id: newId(APPLICATION_ID_PREFIX, clock, random),
      storeId,
      name: input.name,
      mfaPolicy: policyOf(input.mfaPolicy),
      messageOptions,
      createdAt: now,
      updatedAt: now,
      version: 1,
    };
    await this.deps.applications.create(application);
    return application;
  }

  /**
   * The options' own rules, then the store's `maxSegments`: every template with these lines must fit
   * (400 at the option written, naming the segment count).
   */
  private async checkLines(
    storeId: string,
    name: string,
    options: MessageOptions,
    written: ApplicationInput['messageOptions'],
  ): Promise<void> {
    const problems = messageOptionProblems(options);
    if (problems.length > 0) throw new ValidationFailed(problems);
    if (!options.originDomain && !options.androidAppHash) return;
    const store = await this.deps.stores.get(storeId);
    if (!store) return; // the write itself answers 404
    const errors = budgetErrors(
      {
        templates: namedTemplates(store.smsAuth),
        applications: [{ id: 'new', name, messageOptions: options }],
        codeLength: store.codePolicy.length,
        maxSegments: store.smsAuth.maxSegments ?? null,
      },
      { templatePaths: new Set(), codeLength: false, maxSegments: false },
      writtenOptionPath(written),
    );
    if (errors.length > 0) throw new ValidationFailed(errors);
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
          {
            name: current.name,
            mfaPolicy: current.mfaPolicy,
            messageOptions: current.messageOptions ?? null,
          },
          patch,
        );
        const messageOptions = messageOptionsOf(merged.messageOptions);
        if (patch.messageOptions != null) {
          await this.checkLines(storeId, merged.name, messageOptions, patch.messageOptions);
        }
        const next: Application = {
          ...current,
          name: merged.name,
          mfaPolicy: policyOf(merged.mfaPolicy),
          messageOptions,
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
