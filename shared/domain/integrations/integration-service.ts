import { FRESH_READ_INTERVAL_MS, FreshReads } from '../fresh-reads.ts';
import type { Clock } from '../../ports/clock.ts';
import type { PageRequest } from '../../ports/gateway-repository.ts';
import type { IdentityStoreRepository } from '../../ports/identity-store-repository.ts';
import type { IntegrationRepository } from '../../ports/integration-repository.ts';
import type { Random } from '../../ports/random.ts';
import type { SecretStore } from '../../ports/secret-store.ts';
import { NotFound, ValidationFailed } from '../errors.ts';
import { newId } from '../ids.ts';
import { mergePatch } from '../merge-patch.ts';
import { changeVersioned } from '../versioning.ts';
import {
  fromSecretValue,
  liveSecrets,
  newHookSecret,
  rotated,
  toSecretValue,
  type HookSecrets,
} from './hook-secret.ts';
import {
  integrationSecretName,
  isHookKind,
  type HookKind,
  type Integration,
  type IntegrationKind,
  type IntegrationSettings,
} from './integration.ts';

export interface IntegrationServiceDeps {
  integrations: IntegrationRepository;
  stores: Pick<IdentityStoreRepository, 'get'>;
  secrets: SecretStore;
  clock: Clock;
  random: Random;
  /** How long a hook may authenticate against a cached secret before it is read again. */
  secretCacheSeconds: number;
}

export interface IntegrationChange {
  name?: string;
  settings?: IntegrationSettings | null;
}

/** A hook integration with the secrets that authenticate its requests right now. */
export interface HookCredentials {
  integration: Integration & { kind: HookKind };
  secrets: string[];
}

const ID_PREFIX = 'int';

/**
 * Hooks are judged against a secret cached at least as long as a refusal's fresh read is rationed
 * (even where configuration is not cached): a wrong secret then costs no read, and a rotated one is
 * seen through the fresh read.
 */
const HOOK_SECRET_CACHE_SECONDS = (configured: number) => Math.max(configured, FRESH_READ_INTERVAL_MS / 1000);

export class IntegrationService {
  private readonly freshReads: FreshReads;

  constructor(private readonly deps: IntegrationServiceDeps) {
    this.freshReads = new FreshReads(deps.clock);
  }

  /** The secret exists in clear only in this answer (and in the secret store). */
  async create(
    storeId: string,
    input: { kind: IntegrationKind; name: string; settings?: IntegrationSettings },
  ): Promise<{ integration: Integration; secret?: string }> {
    const { clock, random, secrets } = this.deps;
    await this.requireStore(storeId);
    const settings = checkedSettings(input.kind, input.settings ?? {});
    const now = clock.now().toISOString();
    const integration: Integration = {
      id: newId(ID_PREFIX, clock, random),
      storeId,
      kind: input.kind,
      name: input.name,
      settings,
      createdAt: now,
      updatedAt: now,
      version: 1,
    };
    const secret = isHookKind(input.kind) ? newHookSecret(input.kind, random) : undefined;
    // The secret first: an item never exists whose secret is missing.
    if (secret) await secrets.put(integrationSecretName(integration.id), toSecretValue({ current: secret }));
    try {
      await this.deps.integrations.create(integration);
    } catch (error) {
      if (secret) await secrets.delete(integrationSecretName(integration.id));
      throw error;
    }
    return { integration, ...(secret ? { secret } : {}) };
  }

  async list(storeId: string, page: PageRequest) {
    await this.requireStore(storeId);
    return this.deps.integrations.listByStore(storeId, page);
  }

  /** By id alone: the Cognito sender knows its integration, not a store. */
  async find(id: string): Promise<Integration | undefined> {
    return this.deps.integrations.get(id);
  }

  async get(storeId: string, id: string): Promise<Integration> {
    const integration = await this.deps.integrations.get(id);
    if (!integration || integration.storeId !== storeId) throw new NotFound('The integration');
    return integration;
  }

  async update(storeId: string, id: string, change: IntegrationChange, ifMatch?: number) {
    return changeVersioned(
      ifMatch,
      'The integration',
      () => this.get(storeId, id),
      async (current) => {
        const patched = mergePatch({ name: current.name, settings: current.settings }, change);
        const next: Integration = {
          ...current,
          name: patched.name,
          settings: checkedSettings(current.kind, patched.settings ?? {}),
          updatedAt: this.deps.clock.now().toISOString(),
          version: current.version + 1,
        };
        await this.deps.integrations.update(next, current.version);
        return next;
      },
    );
  }

  async delete(storeId: string, id: string, ifMatch?: number): Promise<void> {
    await this.deps.integrations.delete(storeId, id, ifMatch);
    await this.deps.secrets.delete(integrationSecretName(id));
  }

  /** A new secret; the one it replaces keeps working for 24 hours (SECRET_OVERLAP_MS). */
  async rotateSecret(storeId: string, id: string): Promise<string> {
    const integration = await this.get(storeId, id);
    if (!isHookKind(integration.kind)) {
      throw new ValidationFailed(
        [{ path: 'integrationId', message: 'a cognito integration has no secret' }],
        'This integration has no secret to rotate.',
      );
    }
    const name = integrationSecretName(id);
    const stored = fromSecretValue(await this.deps.secrets.get(name, { fresh: true }));
    const secret = newHookSecret(integration.kind, this.deps.random);
    const now = this.deps.clock.now().getTime();
    const next: HookSecrets = stored ? rotated(stored, secret, now) : { current: secret };
    await this.deps.secrets.put(name, toSecretValue(next));
    // Hooks judge against a cached copy: this process's is replaced now (the ended secret stops at
    // once here); others see the change within the cache age, or through a refusal's fresh read.
    const refresh = () => this.deps.secrets.get(name, { fresh: true, maxAgeSeconds: this.hookSecretAge() });
    // Beside the refresh (no round trip added), the table write that carries the rotation's audit record
    // (api.md "Audit is not a side path"): if it cannot be written, the previous secrets are put back and
    // the rotation did not happen.
    const [marked, refreshed] = await Promise.allSettled([
      this.deps.integrations.secretRotated(storeId, id, new Date(now).toISOString()),
      refresh(),
    ]);
    if (marked.status === 'rejected') {
      if (stored) {
        await this.deps.secrets.put(name, toSecretValue(stored));
        await refresh();
      }
      throw marked.reason;
    }
    if (refreshed.status === 'rejected') throw refreshed.reason;
    return secret;
  }

  /**
   * What a hook request is checked against; undefined for an unknown or deleted integration (or a
   * cognito one, which has no hook). `fresh` skips the secret cache: after a rotation the new secret
   * must work at once.
   */
  async hookCredentials(id: string, options: { fresh?: boolean } = {}): Promise<HookCredentials | undefined> {
    const integration = await this.deps.integrations.get(id);
    if (!integration || !isHookKind(integration.kind)) return undefined;
    // A refused request asks for a fresh read; it gets one per integration per interval, else the cache.
    const fresh = options.fresh === true && this.freshReads.take(id);
    const stored = fromSecretValue(
      await this.deps.secrets.get(
        integrationSecretName(id),
        // A fresh read replaces the cached copy, which later requests are judged against.
        { maxAgeSeconds: this.hookSecretAge(), ...(fresh ? { fresh: true } : {}) },
      ),
    );
    if (!stored) return undefined;
    return {
      integration: integration as Integration & { kind: HookKind },
      secrets: liveSecrets(stored, this.deps.clock.now().getTime()),
    };
  }

  private hookSecretAge(): number {
    return HOOK_SECRET_CACHE_SECONDS(this.deps.secretCacheSeconds);
  }

  private async requireStore(storeId: string): Promise<void> {
    if (!(await this.deps.stores.get(storeId))) throw new NotFound('The identity store');
  }
}

/** Cognito needs its pool and key (the sender checks both); the hook kinds take no settings. */
function checkedSettings(kind: IntegrationKind, settings: IntegrationSettings): IntegrationSettings {
  if (kind === 'cognito') {
    const missing = (['userPoolId', 'kmsKeyArn'] as const).filter((field) => !settings[field]);
    if (missing.length > 0) {
      throw new ValidationFailed(
        missing.map((field) => ({
          path: `settings.${field}`,
          message: 'is required for a cognito integration',
        })),
      );
    }
    return { userPoolId: settings.userPoolId, kmsKeyArn: settings.kmsKeyArn };
  }
  if (Object.keys(settings).length > 0) {
    throw new ValidationFailed([{ path: 'settings', message: `a ${kind} integration takes no settings` }]);
  }
  return {};
}
