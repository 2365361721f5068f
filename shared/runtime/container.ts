import { ApiKeyTable } from '../adapters/dynamodb/api-key-table.ts';
import { ApplicationTable } from '../adapters/dynamodb/application-table.ts';
import { ChallengeStoreTable } from '../adapters/dynamodb/challenge-store-table.ts';
import { FactorTable } from '../adapters/dynamodb/factor-table.ts';
import { IssueLedgerTable } from '../adapters/dynamodb/issue-ledger-table.ts';
import { SendCounterTable } from '../adapters/dynamodb/send-counter-table.ts';
import { createDocumentClient } from '../adapters/dynamodb/document-client.ts';
import { OutboundGuard } from '../adapters/net/outbound-guard.ts';
import { GatewayTable } from '../adapters/dynamodb/gateway-table.ts';
import { IdempotencyTable } from '../adapters/dynamodb/idempotency-table.ts';
import { IdentityStoreTable } from '../adapters/dynamodb/identity-store-table.ts';
import { throttleDynamoDb, throttledSecrets } from '../adapters/faults/throttled.ts';
import { StoreSweep } from '../adapters/dynamodb/store-sweep.ts';
import { CachedSecretStore } from '../adapters/secrets/cached-secret-store.ts';
import { EncryptedFileStore } from '../adapters/secrets/encrypted-file-store.ts';
import { SecretsManagerStore } from '../adapters/secrets/secrets-manager-store.ts';
import { ConsoleSender } from '../adapters/sms/console-sender.ts';
import { ApiKeyService } from '../domain/api-keys/api-key-service.ts';
import { ApplicationService } from '../domain/applications/application-service.ts';
import { ChallengeService } from '../domain/challenges/challenge-service.ts';
import { PepperSource } from '../domain/codes/pepper.ts';
import { CachedGatewayDirectory } from '../domain/gateways/gateway-directory.ts';
import { GatewayService } from '../domain/gateways/gateway-service.ts';
import { Idempotency } from '../domain/idempotency.ts';
import type { IdentityStore } from '../domain/identity-stores/identity-store.ts';
import { IdentityStoreService } from '../domain/identity-stores/identity-store-service.ts';
import { MfaService, type FactorLookup } from '../domain/mfa/mfa-service.ts';
import { maskPhone } from '../domain/phone.ts';
import { SmsDelivery } from '../domain/sending/sms-delivery.ts';
import type { GatewayRecord } from '../domain/gateways/gateway.ts';
import { ReplacementNotice } from '../domain/sending/replacement-notice.ts';
import { LambdaNotifier } from '../adapters/lambda-notifier.ts';
import type { ReplacementNotifier } from '../ports/replacement-notifier.ts';
import { TtlCache } from '../domain/ttl-cache.ts';
import { powertoolsTelemetry } from '../observability/powertools-telemetry.ts';
import type { FactorStore } from '../ports/factor-store.ts';
import { systemClock, type Clock } from '../ports/clock.ts';
import { cryptoRandom, type Random } from '../ports/random.ts';
import type { SecretStore } from '../ports/secret-store.ts';
import type { SmsSender, SmsSenders } from '../ports/sms-sender.ts';
import type { StoreCleanup } from '../ports/store-cleanup.ts';
import type { Telemetry } from '../ports/telemetry.ts';
import { readConfig, type RuntimeConfig } from './config.ts';

/** The composition root: adapters are chosen here, from configuration, and nowhere else. */
export interface Services {
  config: RuntimeConfig;
  gateways: GatewayService;
  identityStores: IdentityStoreService;
  apiKeys: ApiKeyService;
  applications: ApplicationService;
  mfa: MfaService;
  challenges: ChallengeService;
  idempotency: Idempotency;
  replacementNotice: ReplacementNotice;
  storeSweep: StoreSweep;
}

export interface Overrides {
  clock?: Clock;
  random?: Random;
  secrets?: SecretStore;
  senders?: SmsSenders;
  telemetry?: Telemetry;
  /** The DynamoDB client, so tests can count round trips. */
  documents?: ReturnType<typeof createDocumentClient>;
}

export async function buildServices(config: RuntimeConfig, overrides: Overrides = {}): Promise<Services> {
  const clock = overrides.clock ?? shifted(systemClock, config.clockOffsetSeconds);
  const random = overrides.random ?? cryptoRandom;
  const telemetry = overrides.telemetry ?? powertoolsTelemetry;
  const documents =
    overrides.documents ??
    createDocumentClient(config.dynamoDbEndpoint ? { endpoint: config.dynamoDbEndpoint } : {});
  if (config.faults.has('dynamodb')) throttleDynamoDb(documents);
  // Either store under Powertools' cache: reads say how old a value may be (gateway credentials).
  const secrets = config.faults.has('secrets')
    ? throttledSecrets()
    : (overrides.secrets ??
      new CachedSecretStore(
        config.secretStore === 'file'
          ? await EncryptedFileStore.open(config.dataDir)
          : new SecretsManagerStore(
              async () => new (await import('@aws-sdk/client-secrets-manager')).SecretsManagerClient({}),
              config.secretNamePrefix,
              config.secretKmsKeyId,
            ),
      ));
  const outbound = outboundGuard(config);
  const senders = overrides.senders ?? defaultSenders(config, clock, random, outbound);

  const gatewayTable = new GatewayTable(documents, config.tableName);
  const storeTable = new IdentityStoreTable(documents, config.tableName);
  const factorTable = new FactorTable(documents, config.tableName);
  const keyTable = new ApiKeyTable(documents, config.tableName);
  const applicationTable = new ApplicationTable(documents, config.tableName);
  const apiKeys = new ApiKeyService({
    keys: keyTable,
    stores: storeTable,
    applications: applicationTable,
    clock,
    random,
  });
  const applications = new ApplicationService({
    applications: applicationTable,
    keys: keyTable,
    stores: storeTable,
    clock,
    random,
  });
  // Hot-path configuration is cached in the warm process for CONFIG_CACHE_SECONDS.
  const maxAgeMs = config.configCacheSeconds * 1000;
  const storeCache = new TtlCache<IdentityStore | undefined>(clock, maxAgeMs);
  const cachedStores = { get: (id: string) => storeCache.get(id, () => storeTable.get(id)) };
  const directory = new CachedGatewayDirectory(
    gatewayTable,
    secrets,
    new TtlCache<GatewayRecord | undefined>(clock, maxAgeMs),
    config.configCacheSeconds,
  );
  const delivery = new SmsDelivery(directory, senders, telemetry, config.providerTimeoutMs);
  const replacementNotice = new ReplacementNotice(cachedStores, delivery, telemetry);
  // Local mode has no second function: the notice goes out in-process.
  const notifier: ReplacementNotifier = config.notifierFunctionName
    ? new LambdaNotifier(
        async () => new (await import('@aws-sdk/client-lambda')).LambdaClient({}),
        config.notifierFunctionName,
      )
    : { notify: async (storeId, phone) => void (await replacementNotice.send(storeId, phone)) };
  const storeSweep = new StoreSweep(documents, config.tableName);
  const gateways = new GatewayService({
    gateways: gatewayTable,
    secrets,
    delivery,
    clock,
    random,
    consoleGatewayAllowed: config.consoleGatewayAllowed,
    urlPolicy: { allowLoopbackHttp: config.localMode, hostProblem: (host) => outbound.hostProblem(host) },
  });

  return {
    config,
    gateways,
    identityStores: new IdentityStoreService({
      stores: storeTable,
      gateways: gatewayTable,
      cleanup: storeCleanup(config, storeSweep),
      clock,
      random,
    }),
    apiKeys,
    applications,
    mfa: new MfaService({ stores: cachedStores, factors: factorLookup(factorTable) }),
    challenges: new ChallengeService({
      challenges: new ChallengeStoreTable(documents, config.tableName),
      factors: factorTable,
      ledger: new IssueLedgerTable(documents, config.tableName),
      counters: new SendCounterTable(documents, config.tableName),
      stores: cachedStores,
      delivery,
      notifier,
      pepper: new PepperSource(secrets, clock, random, { createIfMissing: config.secretStore === 'file' }),
      clock,
      random,
      telemetry,
    }),
    idempotency: new Idempotency(new IdempotencyTable(documents, config.tableName), clock),
    replacementNotice,
    storeSweep,
  };
}

/**
 * Deployed, deleting the store item is all the request does: the table's stream runs the sweeper
 * function (cdk/constructs/store-sweep.ts). Local mode has no stream, so it sweeps before answering.
 */
function storeCleanup(config: RuntimeConfig, sweep: StoreSweep): StoreCleanup {
  if (!config.localMode) return { storeDeleted: async () => undefined };
  return { storeDeleted: async (storeId) => void (await sweep.sweep(storeId)) };
}

/** Local mode applies the same outbound rules, except that fake providers on loopback are reachable. */
export function outboundGuard(config: RuntimeConfig): OutboundGuard {
  return new OutboundGuard({ allowLoopback: config.localMode, allowCidrs: config.outboundAllowCidrs });
}

/** Local mode's CLOCK_OFFSET_SECONDS. */
function shifted(clock: Clock, offsetSeconds: number): Clock {
  return offsetSeconds === 0 ? clock : { now: () => new Date(clock.now().getTime() + offsetSeconds * 1000) };
}

function factorLookup(factors: Pick<FactorStore, 'get'>): FactorLookup {
  return {
    summary: async (storeId, userId) => {
      const factor = await factors.get(storeId, userId);
      if (!factor || factor.status === 'none') return { status: 'none' };
      const phone = factor.status === 'active' ? factor.phone : factor.pendingPhone;
      return { status: factor.status, ...(phone ? { maskedPhone: maskPhone(phone) } : {}) };
    },
  };
}

type ProviderSenderFactory = (options: {
  timeoutMs: number;
  console: SmsSender;
  outbound: OutboundGuard;
}) => SmsSenders;
let providerSenderFactory: ProviderSenderFactory | undefined;

/**
 * The provider adapters (and undici under them) are registered by the functions that send, by
 * importing `shared/runtime/providers.ts`; every other function's bundle stays without them.
 */
export function registerProviderSenders(factory: ProviderSenderFactory): void {
  providerSenderFactory = factory;
}

function defaultSenders(
  config: RuntimeConfig,
  clock: Clock,
  random: Random,
  outbound: OutboundGuard,
): SmsSenders {
  const print = config.localMode ? (line: string) => console.log(`[outbox] ${line}`) : undefined;
  const consoleSender = new ConsoleSender(config.outboxFile, clock, random, print);
  let providers: SmsSenders | undefined;
  return {
    forType: (type) => {
      if (type === 'console') return consoleSender;
      providers ??= providerSenderFactory?.({
        timeoutMs: config.providerTimeoutMs,
        console: consoleSender,
        outbound,
      });
      return providers?.forType(type);
    },
  };
}

let current: Promise<Services> | undefined;

/** Built on first use, then kept for the life of the warm Lambda (or the local server). */
export function services(): Promise<Services> {
  current ??= buildServices(readConfig()).catch((error: unknown) => {
    current = undefined;
    throw error;
  });
  return current;
}

/** Tests swap in services built with injected clocks, randomness or fakes. */
export function useServices(replacement: Promise<Services> | undefined): void {
  current = replacement;
}
