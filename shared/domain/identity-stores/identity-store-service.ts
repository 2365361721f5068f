import { failoverSwitchProblems } from './failover-switch.ts';
import type { Clock } from '../../ports/clock.ts';
import type { GatewayRepository, Page, PageRequest } from '../../ports/gateway-repository.ts';
import { UnknownGateways, type IdentityStoreRepository } from '../../ports/identity-store-repository.ts';
import type { Random } from '../../ports/random.ts';
import type { StoreCleanup } from '../../ports/store-cleanup.ts';
import { found, ValidationFailed, type FieldError } from '../errors.ts';
import { newId } from '../ids.ts';
import { mergePatch } from '../merge-patch.ts';
import { templateProblems } from '../sms-encoding.ts';
import type { ApplicationRepository } from '../../ports/application-repository.ts';
import { applicationsWithLines } from '../messages/application-lines.ts';
import { messageTemplateProblems } from '../messages/template-problems.ts';
import { budgetErrors, namedTemplates } from '../messages/segment-budget.ts';
import { changeVersioned } from '../versioning.ts';
import { voiceOf, voiceProblems, voiceWithDefaults, type VoiceInput } from '../voice/voice-settings.ts';
import { testCodeDigest } from '../codes/code.ts';
import type { Pepper } from '../codes/pepper.ts';
import { fictionalNumber, type StoredTestNumber, type TestNumberInput } from '../sending/number-class.ts';
import type { NumberListRules } from './number-list-rules.ts';
import {
  DEFAULT_CODE_POLICY,
  DEFAULT_MESSAGE_TEMPLATE,
  DEFAULT_FRAUD_GUARD,
  DEFAULT_PRICE_PER_CALL,
  DEFAULT_PRICE_PER_SEGMENT,
  DEFAULT_SEND_LIMITS,
  DEFAULT_SPEND_LIMITS,
  linkedGatewayIds,
  type CodePolicy,
  type FraudGuard,
  type IdentityStore,
  type SendLimits,
  type SmsAuthSettings,
} from './identity-store.ts';
import { routingOf, routingProblems, type RoutingInput } from './routing-settings.ts';

type Nullable<T> = { [K in keyof T]?: T[K] | null };

type SmsAuthInput = Nullable<Omit<SmsAuthSettings, 'messageTemplates'>> & {
  /** Merge-patched per language: a null entry removes that language. */
  messageTemplates?: Record<string, string | null> | null;
};

export interface IdentityStoreInput {
  name: string;
  smsAuth?: SmsAuthInput | null;
  codePolicy?: Nullable<CodePolicy> | null;
  sendLimits?: Nullable<SendLimits> | null;
  allowedCountries?: string[] | null;
  fraudGuard?: Nullable<FraudGuard> | null;
  spendLimits?: SpendLimitsInput | null;
  testNumbers?: TestNumberInput[] | null;
  trustedNumbers?: string[] | null;
  routing?: RoutingInput | null;
  voice?: VoiceInput | null;
}

interface SpendLimitsInput {
  currency?: 'USD' | null;
  pricePerSegment?: Record<string, number | null> | null;
  dailyBudget?: number | null;
  countryDailyBudget?: Record<string, number | null> | null;
  pricePerCall?: Record<string, number | null> | null;
}

export type IdentityStorePatch = Partial<Omit<IdentityStoreInput, 'name'>> & { name?: string };

export interface IdentityStoreServiceDeps {
  stores: IdentityStoreRepository;
  gateways: Pick<GatewayRepository, 'defaultGatewayId'>;
  /**
   * Removes what the store owns (keys, factors, challenges, counters...) once it is deleted; only the
   * delete route needs it.
   */
  cleanup?: StoreCleanup;
  /**
   * Loads the number lists' rules (NUMBER_LIST_RULES): only the writes (create, update) need them, and
   * their wiring imports them on the first write, so that libphonenumber's metadata is not parsed at init.
   */
  numberLists?: () => Promise<NumberListRules>;
  clock: Clock;
  random: Random;
  /** Keys the test numbers' fixed codes (testCodeDigest); only needed when a write sets test numbers. */
  pepper?: Pick<Pepper, 'versions'>;
  /** The deployment's `testNumbersAllowed` (TEST_NUMBERS_ALLOWED); local mode always allows them. */
  testNumbersAllowed?: boolean;
  /** The store's applications: their autofill lines count against `maxSegments`. */
  applications: Pick<ApplicationRepository, 'list'>;
  /** The deployment's `adaptiveRoutingAllowed` (ADAPTIVE_ROUTING_ALLOWED; default and local mode: true). */
  adaptiveRoutingAllowed?: boolean;
  /** The deployment's `deliveryFailoverAllowed` (DELIVERY_FAILOVER_ALLOWED); local mode always allows it. */
  deliveryFailoverAllowed?: boolean;
  /** The deployment's `voiceAllowed` (VOICE_ALLOWED); local mode always allows calls. */
  voiceAllowed?: boolean;
}

/** What a write named, for the paths of the problems that involve two members. */
interface Written {
  deadline: boolean;
  ttl: boolean;
  mode: boolean;
}

function writtenBy(input: Pick<IdentityStoreInput, 'routing' | 'codePolicy'>): Written {
  return {
    deadline: input.routing?.deliveryDeadlineSeconds !== undefined,
    ttl: input.codePolicy?.ttlSeconds !== undefined,
    mode: input.routing?.mode === 'adaptive',
  };
}

type Settings = Omit<IdentityStore, 'id' | 'createdAt' | 'updatedAt' | 'version'>;

/** Every member a create or a patch left out (or removed with null) gets its documented default. */
function withDefaults(partial: IdentityStoreInput): Settings {
  return {
    name: partial.name,
    smsAuth: {
      enabled: partial.smsAuth?.enabled ?? false,
      gatewayId: partial.smsAuth?.gatewayId ?? null,
      fallbackGatewayIds: partial.smsAuth?.fallbackGatewayIds ?? [],
      messageTemplate: partial.smsAuth?.messageTemplate ?? DEFAULT_MESSAGE_TEMPLATE,
      enforcedRoles: partial.smsAuth?.enforcedRoles ?? [],
      identitySources: partial.smsAuth?.identitySources ?? [],
      messageTemplates: definedOnly<Record<string, string>>(partial.smsAuth?.messageTemplates) as Record<
        string,
        string
      >,
      maxSegments: partial.smsAuth?.maxSegments ?? null,
    },
    codePolicy: { ...DEFAULT_CODE_POLICY, ...definedOnly<CodePolicy>(partial.codePolicy) },
    sendLimits: { ...DEFAULT_SEND_LIMITS, ...definedOnly<SendLimits>(partial.sendLimits) },
    allowedCountries: partial.allowedCountries ?? [],
    fraudGuard: { ...DEFAULT_FRAUD_GUARD, ...definedOnly<FraudGuard>(partial.fraudGuard) },
    spendLimits: spendLimitsWithDefaults(partial.spendLimits),
    trustedNumbers: partial.trustedNumbers ?? [],
    routing: routingOf(partial),
    voice: voiceWithDefaults(partial.voice),
  };
}

/** A price map always keeps its `default` (null resets it); other entries set to null are gone. */
function spendLimitsWithDefaults(input: SpendLimitsInput | null | undefined): Settings['spendLimits'] {
  const prices = definedOnly<Record<string, number>>(input?.pricePerSegment) as Record<string, number>;
  const callPrices = definedOnly<Record<string, number>>(input?.pricePerCall) as Record<string, number>;
  const budgets = input?.countryDailyBudget
    ? (definedOnly<Record<string, number>>(input.countryDailyBudget) as Record<string, number>)
    : null;
  return {
    currency: input?.currency ?? DEFAULT_SPEND_LIMITS.currency,
    pricePerSegment: { ...prices, default: prices.default ?? DEFAULT_PRICE_PER_SEGMENT },
    dailyBudget: input?.dailyBudget ?? null,
    countryDailyBudget: budgets && Object.keys(budgets).length > 0 ? budgets : null,
    pricePerCall: { ...callPrices, default: callPrices.default ?? DEFAULT_PRICE_PER_CALL },
  };
}

function definedOnly<T extends object>(value: Nullable<T> | null | undefined): Partial<T> {
  return Object.fromEntries(
    Object.entries(value ?? {}).filter(([, v]) => v !== null && v !== undefined),
  ) as Partial<T>;
}

function settingsProblems(settings: Settings, written: Written, adaptiveAllowed: boolean): FieldError[] {
  const problems: FieldError[] = routingProblems({
    routing: routingOf(settings),
    linked: linkedGatewayIds(settings),
    ttlSeconds: settings.codePolicy.ttlSeconds,
    adaptiveAllowed,
    wrote: written,
  });
  const { smsAuth } = settings;
  if (smsAuth.gatewayId && smsAuth.fallbackGatewayIds.includes(smsAuth.gatewayId)) {
    problems.push({ path: 'smsAuth.fallbackGatewayIds', message: 'must not contain the primary gateway' });
  }
  if (new Set(smsAuth.fallbackGatewayIds).size !== smsAuth.fallbackGatewayIds.length) {
    problems.push({ path: 'smsAuth.fallbackGatewayIds', message: 'must not contain a gateway twice' });
  }
  if (!smsAuth.gatewayId && smsAuth.fallbackGatewayIds.length > 0) {
    problems.push({ path: 'smsAuth.gatewayId', message: 'is required when fallback gateways are set' });
  }
  if (smsAuth.enabled && !smsAuth.gatewayId) {
    problems.push({ path: 'smsAuth.gatewayId', message: 'is required when SMS authentication is enabled' });
  }
  for (const message of templateProblems(smsAuth.messageTemplate)) {
    problems.push({ path: 'smsAuth.messageTemplate', message });
  }
  problems.push(...messageTemplateProblems(smsAuth.messageTemplates ?? {}));
  return problems;
}

function unknownGatewayProblems(settings: Settings, unknown: string[]): FieldError[] {
  return unknown.map((id) => {
    const fallbackIndex = settings.smsAuth.fallbackGatewayIds.indexOf(id);
    return {
      path: fallbackIndex >= 0 ? `smsAuth.fallbackGatewayIds.${fallbackIndex}` : 'smsAuth.gatewayId',
      message: `gateway ${id} does not exist`,
    };
  });
}

interface WrittenFields {
  templatePaths: ReadonlySet<string>;
  codeLength: boolean;
  maxSegments: boolean;
}

/** The fields of a create or a patch that the segment budget depends on (null entries remove, so never break it). */
function writtenOf(input: Partial<IdentityStoreInput>): WrittenFields {
  const smsAuth = input.smsAuth ?? undefined;
  const templatePaths = new Set<string>();
  if (smsAuth?.messageTemplate != null) templatePaths.add('smsAuth.messageTemplate');
  for (const [tag, text] of Object.entries(smsAuth?.messageTemplates ?? {})) {
    if (text !== null) templatePaths.add(`smsAuth.messageTemplates.${tag}`);
  }
  return {
    templatePaths,
    codeLength: input.codePolicy?.length != null,
    maxSegments: smsAuth?.maxSegments != null,
  };
}

function budgetTouched(written: WrittenFields): boolean {
  return written.templatePaths.size > 0 || written.codeLength || written.maxSegments;
}

export class IdentityStoreService {
  constructor(private readonly deps: IdentityStoreServiceDeps) {}

  async create(input: IdentityStoreInput): Promise<IdentityStore> {
    const { clock, random, stores } = this.deps;
    const linkDefault = input.smsAuth?.gatewayId === undefined;
    const { testNumbers, ...rest } = input;
    const settings = withDefaults(rest);
    if (linkDefault) settings.smsAuth.gatewayId = (await this.deps.gateways.defaultGatewayId()) ?? null;
    const id = newId('ids', clock, random);
    const lists = await this.numberLists(id, settings, testNumbers, [], writtenBy(input));
    // A new store has no application yet: its templates alone must fit.
    this.checkBudget(settings, [], writtenOf(input));

    const now = clock.now().toISOString();
    const store: IdentityStore = {
      id,
      ...settings,
      ...lists,
      createdAt: now,
      updatedAt: now,
      version: 1,
    };
    try {
      await stores.create(store);
    } catch (error) {
      if (!(error instanceof UnknownGateways)) throw error;
      // The default pointer can briefly outlive a deleted gateway; then there is simply no default.
      const defaultGone = linkDefault && error.gatewayIds.includes(store.smsAuth.gatewayId ?? '');
      if (defaultGone && !store.smsAuth.enabled && store.smsAuth.fallbackGatewayIds.length === 0) {
        const withoutDefault = { ...store, smsAuth: { ...store.smsAuth, gatewayId: null } };
        await stores.create(withoutDefault);
        return withoutDefault;
      }
      throw new ValidationFailed(unknownGatewayProblems(settings, error.gatewayIds));
    }
    return store;
  }

  /**
   * Validates the settings with the store's number lists (every problem at its path, in one answer) and
   * returns the lists as the store keeps them: test codes as keyed digests, trusted numbers in E.164.
   * `written`: the test numbers this write sets (undefined: keep `current`; null: none).
   */
  private async numberLists(
    storeId: string,
    settings: Settings,
    written: TestNumberInput[] | null | undefined,
    current: StoredTestNumber[],
    wrote: Written,
  ): Promise<Pick<IdentityStore, 'testNumbers' | 'trustedNumbers'>> {
    if (!this.deps.numberLists)
      throw new Error("a store write needs the number lists' rules (NUMBER_LIST_RULES)");
    const rules = await this.deps.numberLists();
    const trustedNumbers = settings.trustedNumbers ?? [];
    const problems = [
      ...settingsProblems(settings, wrote, this.deps.adaptiveRoutingAllowed ?? true),
      ...failoverSwitchProblems(settings, this.deps.deliveryFailoverAllowed ?? false),
      ...voiceProblems(voiceOf(settings), { voiceAllowed: this.deps.voiceAllowed ?? false }),
      ...rules.problems({
        ...(written ? { testNumbers: written } : {}),
        keptTestNumbers:
          written === undefined
            ? current
            : (written ?? []).map((entry) => ({
                phoneNumber: entry.phoneNumber,
                codeLength: entry.code.length,
              })),
        trustedNumbers,
        codeLength: settings.codePolicy.length,
        testNumbersAllowed: this.deps.testNumbersAllowed ?? false,
      }),
    ];
    if (problems.length > 0) throw new ValidationFailed(problems);
    return {
      testNumbers: written === undefined ? current : await this.sealed(storeId, written ?? []),
      trustedNumbers: rules.trustedE164(trustedNumbers),
    };
  }

  private async sealed(storeId: string, entries: readonly TestNumberInput[]): Promise<StoredTestNumber[]> {
    if (entries.length === 0) return [];
    if (!this.deps.pepper) throw new Error('test numbers need the pepper to key their codes');
    const { keys } = await this.deps.pepper.versions();
    return entries.map((entry) => ({
      phoneNumber: fictionalNumber(entry.phoneNumber) ?? entry.phoneNumber,
      codeLength: entry.code.length,
      codeDigest: testCodeDigest(keys, storeId, entry.code),
    }));
  }

  /** 400 at the written field's path when a template (with any application's lines) needs too many segments. */
  private checkBudget(
    settings: Settings,
    applications: Awaited<ReturnType<typeof applicationsWithLines>>,
    written: WrittenFields,
  ): void {
    const errors = budgetErrors(
      {
        templates: namedTemplates(settings.smsAuth),
        applications,
        codeLength: settings.codePolicy.length,
        maxSegments: settings.smsAuth.maxSegments ?? null,
      },
      written,
    );
    if (errors.length > 0) throw new ValidationFailed(errors);
  }

  async get(id: string): Promise<IdentityStore> {
    return found(await this.deps.stores.get(id), 'The identity store');
  }

  list(page: PageRequest): Promise<Page<IdentityStore>> {
    return this.deps.stores.list(page);
  }

  async update(id: string, patch: IdentityStorePatch, ifMatch?: number): Promise<IdentityStore> {
    return changeVersioned(
      ifMatch,
      'The identity store',
      () => this.get(id),
      async (current) => {
        const { id: _id, createdAt, updatedAt: _u, version, testNumbers: kept, ...currentSettings } = current;
        const { testNumbers, ...rest } = patch;
        const settings = withDefaults(mergePatch<IdentityStoreInput>(currentSettings, rest));
        const lists = await this.numberLists(id, settings, testNumbers, kept ?? [], writtenBy(patch));
        const written = writtenOf(patch);
        if (settings.smsAuth.maxSegments !== null && budgetTouched(written)) {
          this.checkBudget(settings, await applicationsWithLines(this.deps.applications, id), written);
        }
        const next: IdentityStore = {
          id,
          ...settings,
          ...lists,
          createdAt,
          updatedAt: this.deps.clock.now().toISOString(),
          version: version + 1,
        };
        try {
          await this.deps.stores.update(next, current);
        } catch (error) {
          if (error instanceof UnknownGateways)
            throw new ValidationFailed(unknownGatewayProblems(settings, error.gatewayIds));
          throw error;
        }
        return next;
      },
    );
  }

  async delete(id: string, ifMatch?: number): Promise<void> {
    const { cleanup } = this.deps;
    if (!cleanup) throw new Error("a store's deletion needs its cleanup");
    await changeVersioned(
      ifMatch,
      'The identity store',
      () => this.get(id),
      async (current) => {
        await this.deps.stores.delete(current);
      },
    );
    await cleanup.storeDeleted(id);
  }
}
