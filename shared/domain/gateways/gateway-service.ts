import type { Clock } from '../../ports/clock.ts';
import type { Random } from '../../ports/random.ts';
import type { SecretStore } from '../../ports/secret-store.ts';
import type { DefaultChange, GatewayRepository, Page, PageRequest } from '../../ports/gateway-repository.ts';
import type { SendResult } from '../../ports/sms-sender.ts';
import type { SmsDelivery } from '../sending/sms-delivery.ts';
import { readGatewayCredentials } from './gateway-directory.ts';
import { found, GatewayError, PhoneNotAllowed, ValidationFailed, type FieldError } from '../errors.ts';
import { newId } from '../ids.ts';
import { parsePhone, testMessageIneligibility } from '../phone.ts';
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
import {
  GATEWAY_TYPE_INFO,
  GATEWAY_TYPES,
  type Channel,
  type GatewayType,
  type GatewayTypeInfo,
} from './gateway-types.ts';

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
  url?: string | null;
  bodyTemplate?: string | null;
  authScheme?: CustomHttpAuthScheme | null;
  isDefault?: boolean | null;
  proxy?: ProxyInput | null;
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
  /** Test connection sends like a code does. */
  delivery: Pick<SmsDelivery, 'sendThrough'>;
  clock: Clock;
  random: Random;
  consoleGatewayAllowed: boolean;
  urlPolicy: UrlPolicy;
}

export const TEST_MESSAGE = (name: string) =>
  `sms-mfa: test message from SMS gateway "${name}". No action is needed.`;

export class GatewayService {
  constructor(private readonly deps: GatewayServiceDeps) {}

  types(): Array<Omit<GatewayTypeInfo, 'voiceUrl' | 'channels'> & { channels: Channel[]; enabled: boolean }> {
    return GATEWAY_TYPES.map((type) => {
      // The call address is the adapters' business; the catalogue shows which channels a type has.
      const { voiceUrl: _callAddress, ...info } = GATEWAY_TYPE_INFO[type];
      return { ...info, channels: [...info.channels], enabled: this.typeEnabled(type) };
    });
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
      bodyTemplate: input.bodyTemplate ?? null,
      authScheme: input.authScheme ?? null,
      hasPassword: credentials.password !== undefined,
      hasCallbackSecret: credentials.callbackSecret !== undefined,
      proxy: input.proxy ? proxyOf(input.proxy, credentials.proxyPassword !== undefined) : null,
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

  async get(id: string): Promise<Gateway> {
    return found(await this.deps.gateways.get(id), 'The gateway');
  }

  list(page: PageRequest): Promise<Page<Gateway>> {
    return this.deps.gateways.list(page);
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

  /** Sends a real message through this gateway, with the same adapters and recovery as a code. */
  async test(id: string, phoneNumber: string): Promise<SendResult> {
    const gateway = await this.get(id);
    const phone = parsePhone(phoneNumber);
    if (!phone) throw new PhoneNotAllowed('The phone number is not a valid international number.');
    const ineligible = testMessageIneligibility(phone);
    if (ineligible) throw new PhoneNotAllowed(ineligible);
    if (!this.typeEnabled(gateway.type))
      throw new GatewayError(`Gateway type ${gateway.type} is disabled here.`);
    const sent = await this.deps.delivery.sendThrough(gateway.id, {
      to: phone.e164,
      body: TEST_MESSAGE(gateway.name),
    });
    return { providerMessageId: sent.providerMessageId };
  }

  credentials(gateway: GatewayRecord): Promise<GatewayCredentials> {
    return readGatewayCredentials(this.deps.secrets, gateway);
  }

  private typeEnabled(type: GatewayType): boolean {
    return type !== 'console' || this.deps.consoleGatewayAllowed;
  }

  private assertValid(record: GatewayRecord): void {
    const problems = gatewaySettingsProblems(record, this.deps.urlPolicy);
    if (!this.typeEnabled(record.type)) {
      problems.unshift({ path: 'type', message: 'console gateways are disabled in this deployment' });
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
      bodyTemplate: pick('bodyTemplate'),
      authScheme: pick('authScheme'),
      hasPassword: secretChange ? credentials.password !== undefined : current.hasPassword,
      hasCallbackSecret: secretChange ? credentials.callbackSecret !== undefined : current.hasCallbackSecret,
      proxy,
      updatedAt: this.deps.clock.now().toISOString(),
      version: current.version + 1,
    };
  }
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
