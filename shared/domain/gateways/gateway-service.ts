import type { Clock } from '../../ports/clock.ts';
import type { Random } from '../../ports/random.ts';
import type { SecretStore } from '../../ports/secret-store.ts';
import type { DefaultChange, GatewayRepository, Page, PageRequest } from '../../ports/gateway-repository.ts';
import { readGatewayCredentials } from './gateway-directory.ts';
import { GatewayReads } from './gateway-reads.ts';
import { senderIdProblems } from './sender-ids.ts';
import { ValidationFailed, type FieldError } from '../errors.ts';
import { newId } from '../ids.ts';
import { changeVersioned } from '../versioning.ts';
import {
  gatewaySecretName,
  gatewaySettingsProblems,
  type Gateway,
  type GatewayCredentials,
  type CustomHttpAuthScheme,
  type GatewayRecord,
  type ProxySettings,
  type UrlPolicy,
} from './gateway.ts';
import { gatewayTypeCatalogue, gatewayTypeEnabled, type GatewayTypeEntry } from './gateway-catalogue.ts';
import { GATEWAY_TYPE_INFO, type GatewayType } from './gateway-types.ts';
import { DEFAULT_PRICE_CURRENCY } from '../sending/prices.ts';

export interface ProxyInput {
  host: string;
  port: number;
  domain?: string | null;
  username?: string | null;
  password?: string | null;
  description?: string | null;
}

export interface GatewayInput {
  name: string;
  type: GatewayType;
  accountId?: string | null;
  username?: string | null;
  password?: string | null;
  callbackSecret?: string | null;
  from?: string | null;
  /** Merge-patched per country: a null entry removes that country's sender. */
  senderIds?: Record<string, string | null> | null;
  url?: string | null;
  bodyTemplate?: string | null;
  authScheme?: CustomHttpAuthScheme | null;
  isDefault?: boolean | null;
  proxy?: ProxyInput | null;
  /** Null entries remove one (merge patch); the map is dropped when nothing is left. */
  pricePerSegment?: Record<string, number | null> | null;
  pricePerCall?: Record<string, number | null> | null;
  priceCurrency?: string | null;
}

/** JSON Merge Patch of a gateway: absent keeps, `null` clears, nested proxy fields merge. */
export type GatewayPatch = Partial<Omit<GatewayInput, 'proxy' | 'name' | 'type'>> & {
  name?: string;
  type?: GatewayType;
  proxy?: Partial<ProxyInput> | null;
};

export interface GatewayServiceDeps {
  gateways: GatewayRepository;
  secrets: SecretStore;
  clock: Clock;
  random: Random;
  consoleGatewayAllowed: boolean;
  urlPolicy: UrlPolicy;
}

export class GatewayService {
  private readonly reads: GatewayReads;

  constructor(private readonly deps: GatewayServiceDeps) {
    this.reads = new GatewayReads(deps.gateways);
  }

  types(): GatewayTypeEntry[] {
    return gatewayTypeCatalogue(this.deps.consoleGatewayAllowed);
  }

  async create(input: GatewayInput): Promise<Gateway> {
    const { clock, random } = this.deps;
    const now = clock.now().toISOString();
    const id = newId('gw', clock, random);
    const credentials = credentialsOf(input.password, input.proxy?.password, input.callbackSecret);
    const record: GatewayRecord = {
      id,
      name: input.name,
      type: input.type,
      url: input.url ?? null,
      accountId: input.accountId ?? null,
      username: input.username ?? null,
      from: input.from ?? null,
      senderIds: senderIdsOf(undefined, input.senderIds),
      bodyTemplate: input.bodyTemplate ?? null,
      authScheme: input.authScheme ?? null,
      hasPassword: credentials.password !== undefined,
      hasCallbackSecret: credentials.callbackSecret !== undefined,
      proxy: input.proxy ? proxyOf(input.proxy, credentials.proxyPassword !== undefined) : null,
      ...priceFields(undefined, input),
      linkedIdentityStoreIds: [],
      createdAt: now,
      updatedAt: now,
      version: 1,
    };
    this.assertValid(record);

    // The secret goes first under the new, still unknown id: a gateway never points at a missing secret.
    const secretName = gatewaySecretName(id);
    if (hasAny(credentials)) await this.deps.secrets.put(secretName, { ...credentials });
    try {
      await this.deps.gateways.create(record, input.isDefault === true);
    } catch (error) {
      if (hasAny(credentials)) await this.deps.secrets.delete(secretName);
      throw error;
    }
    return { ...record, isDefault: input.isDefault === true };
  }

  get(id: string): Promise<Gateway> {
    return this.reads.get(id);
  }

  list(page: PageRequest): Promise<Page<Gateway>> {
    return this.reads.list(page);
  }

  async update(id: string, patch: GatewayPatch, ifMatch?: number): Promise<Gateway> {
    return changeVersioned(
      ifMatch,
      'The gateway',
      () => this.get(id),
      async (current) => {
        const unbound = credentialBindingProblems(current, patch);
        if (unbound.length > 0) throw new ValidationFailed(unbound);

        const secretChange =
          patch.password !== undefined ||
          patch.callbackSecret !== undefined ||
          patch.proxy === null ||
          patch.proxy?.password !== undefined;
        const oldCredentials = secretChange ? await this.credentials(current) : {};
        const newCredentials = secretChange ? mergeCredentials(oldCredentials, patch) : oldCredentials;
        const next = this.applyPatch(current, patch, newCredentials, secretChange);
        this.assertValid(next);

        const unset = (patch.isDefault === false || patch.isDefault === null) && current.isDefault;
        const defaultChange: DefaultChange = patch.isDefault === true ? 'set' : unset ? 'unset' : 'keep';
        await this.deps.gateways.update(next, current, defaultChange);

        // The conditional table write decided the winner; only then does the secret follow it.
        if (secretChange) {
          if (hasAny(newCredentials))
            await this.deps.secrets.put(gatewaySecretName(id), { ...newCredentials });
          else if (hasAny(oldCredentials)) await this.deps.secrets.delete(gatewaySecretName(id));
        }
        return { ...next, isDefault: defaultChange === 'set' || (current.isDefault && !unset) };
      },
    );
  }

  async delete(id: string, ifMatch?: number): Promise<void> {
    const current = await this.get(id);
    await this.deps.gateways.delete(id, ifMatch);
    if (current.hasPassword || current.proxy?.hasPassword || current.hasCallbackSecret)
      await this.deps.secrets.delete(gatewaySecretName(id));
  }

  credentials(gateway: GatewayRecord): Promise<GatewayCredentials> {
    return readGatewayCredentials(this.deps.secrets, gateway);
  }

  /** A console gateway only where the deployment allows it (CONSOLE_GATEWAY_ALLOWED). */
  typeEnabled(type: GatewayType): boolean {
    return gatewayTypeEnabled(type, this.deps.consoleGatewayAllowed);
  }

  private assertValid(record: GatewayRecord): void {
    // Sender ids are judged here, not in gateway.ts: their country list stays out of the console.
    const problems = [
      ...gatewaySettingsProblems(record, this.deps.urlPolicy),
      ...senderIdProblems(record.senderIds ?? {}),
    ];
    if (!this.typeEnabled(record.type)) {
      problems.unshift({ path: 'type', message: 'console gateways are disabled in this deployment' });
    }
    // A call price on a type that cannot call would never apply: say so rather than keep it silently.
    if (record.pricePerCall && !GATEWAY_TYPE_INFO[record.type].channels.includes('voice')) {
      problems.push({ path: 'pricePerCall', message: `${record.type} gateways make no voice calls` });
    }
    if (problems.length > 0) throw new ValidationFailed(problems);
  }

  private applyPatch(
    current: GatewayRecord,
    patch: GatewayPatch,
    credentials: GatewayCredentials,
    secretChange: boolean,
  ): GatewayRecord {
    const pick = <K extends 'url' | 'accountId' | 'username' | 'from' | 'bodyTemplate' | 'authScheme'>(
      key: K,
    ) => (patch[key] === undefined ? current[key] : (patch[key] ?? null));
    let proxy: ProxySettings | null = current.proxy;
    if (patch.proxy === null) proxy = null;
    else if (patch.proxy !== undefined) {
      const merged = { ...(current.proxy ?? {}), ...patch.proxy } as ProxyInput;
      const hasProxyPassword = secretChange
        ? credentials.proxyPassword !== undefined
        : !!current.proxy?.hasPassword;
      proxy = proxyOf(merged, hasProxyPassword);
    }
    return {
      ...current,
      name: patch.name ?? current.name,
      type: patch.type ?? current.type,
      url: pick('url'),
      accountId: pick('accountId'),
      username: pick('username'),
      from: pick('from'),
      senderIds: senderIdsOf(current.senderIds, patch.senderIds),
      bodyTemplate: pick('bodyTemplate'),
      authScheme: pick('authScheme'),
      hasPassword: secretChange ? credentials.password !== undefined : current.hasPassword,
      hasCallbackSecret: secretChange ? credentials.callbackSecret !== undefined : current.hasCallbackSecret,
      proxy,
      ...priceFields(current, patch),
      updatedAt: this.deps.clock.now().toISOString(),
      version: current.version + 1,
    };
  }
}

/** RFC 7396 on the country map: null clears it, a null entry removes one country, others set theirs. */
function senderIdsOf(
  current: Record<string, string> | undefined,
  patch: GatewayInput['senderIds'],
): Record<string, string> {
  if (patch === null) return {};
  const merged: Record<string, string> = { ...(current ?? {}) };
  for (const [country, sender] of Object.entries(patch ?? {})) {
    if (sender === null) delete merged[country];
    else merged[country] = sender;
  }
  return merged;
}

/**
 * A stored credential belongs to the destination it was entered for: whoever may change a gateway's
 * address must not thereby learn its password (the new host would receive it). So a patch that moves
 * the destination must also say what the password becomes. Removing the proxy drops its password
 * with it, so `proxy: null` satisfies the proxy rule by itself.
 */
function credentialBindingProblems(current: GatewayRecord, patch: GatewayPatch): FieldError[] {
  const problems: FieldError[] = [];
  const typeChanges = patch.type !== undefined && patch.type !== current.type;
  const urlChanges = patch.url !== undefined && (patch.url ?? null) !== current.url;
  if (current.hasPassword && (typeChanges || urlChanges) && patch.password === undefined) {
    problems.push({
      path: 'password',
      message: `must be set (a new value, or null) when ${typeChanges ? 'type' : 'url'} changes: the stored password stays with its destination`,
    });
  }
  const proxy = patch.proxy;
  const proxyMoves =
    !!proxy &&
    !!current.proxy &&
    ((proxy.host !== undefined && proxy.host !== current.proxy.host) ||
      (proxy.port !== undefined && proxy.port !== current.proxy.port));
  if (current.proxy?.hasPassword && proxyMoves && proxy?.password === undefined) {
    problems.push({
      path: 'proxy.password',
      message:
        'must be set (a new value, or null) when proxy.host or proxy.port changes: the stored proxy password stays with its proxy',
    });
  }
  return problems;
}

function proxyOf(input: Partial<ProxyInput>, hasPassword: boolean): ProxySettings {
  return {
    host: input.host ?? '',
    port: input.port ?? 0,
    domain: input.domain ?? null,
    username: input.username ?? null,
    description: input.description ?? null,
    hasPassword,
  };
}

function credentialsOf(
  password?: string | null,
  proxyPassword?: string | null,
  callbackSecret?: string | null,
): GatewayCredentials {
  const credentials: GatewayCredentials = {};
  if (password) credentials.password = password;
  if (proxyPassword) credentials.proxyPassword = proxyPassword;
  if (callbackSecret) credentials.callbackSecret = callbackSecret;
  return credentials;
}

function mergeCredentials(old: GatewayCredentials, patch: GatewayPatch): GatewayCredentials {
  const password = patch.password === undefined ? old.password : patch.password;
  const proxyPassword =
    patch.proxy === null
      ? undefined
      : patch.proxy?.password === undefined
        ? old.proxyPassword
        : patch.proxy.password;
  const callbackSecret = patch.callbackSecret === undefined ? old.callbackSecret : patch.callbackSecret;
  return credentialsOf(password, proxyPassword, callbackSecret);
}

function hasAny(credentials: GatewayCredentials): boolean {
  return Object.values(credentials).some((value) => value !== undefined);
}

type PriceFields = 'pricePerSegment' | 'pricePerCall' | 'priceCurrency';

/** A gateway's prices after a create or a merge patch: entries merge, `null` removes, absent keeps. */
function priceFields(
  current: Pick<GatewayRecord, PriceFields> | undefined,
  input: Pick<GatewayInput, PriceFields>,
): Pick<GatewayRecord, PriceFields> {
  const currency = input.priceCurrency === undefined ? current?.priceCurrency : input.priceCurrency;
  return {
    pricePerSegment: mergedPrices(current?.pricePerSegment, input.pricePerSegment),
    pricePerCall: mergedPrices(current?.pricePerCall, input.pricePerCall),
    priceCurrency: currency ?? DEFAULT_PRICE_CURRENCY,
  };
}

/** One price list after a merge patch; dropped when nothing is left. */
function mergedPrices(
  current: Record<string, number> | null | undefined,
  input: Record<string, number | null> | null | undefined,
): Record<string, number> | null {
  const merged: Record<string, number> = {};
  const entries = input === null ? [] : Object.entries({ ...(current ?? {}), ...(input ?? {}) });
  for (const [key, value] of entries) if (value !== null) merged[key] = value;
  return Object.keys(merged).length > 0 ? merged : null;
}
