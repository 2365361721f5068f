import { ApiKeyTable } from '../adapters/dynamodb/api-key-table.ts';
import { ApplicationTable } from '../adapters/dynamodb/application-table.ts';
import { ChallengeStoreTable } from '../adapters/dynamodb/challenge-store-table.ts';
import { FactorTable } from '../adapters/dynamodb/factor-table.ts';
import { IssueLedgerTable } from '../adapters/dynamodb/issue-ledger-table.ts';
import { SendCounterTable } from '../adapters/dynamodb/send-counter-table.ts';
import { FraudCounterTable } from '../adapters/dynamodb/fraud-counter-table.ts';
import { BlockService } from '../domain/fraud/block-service.ts';
import { DeferredUncount } from '../domain/fraud/deferred-uncount.ts';
import { createDocumentClient } from '../adapters/dynamodb/document-client.ts';
import { OutboundGuard } from '../adapters/net/outbound-guard.ts';
import { GatewayTable } from '../adapters/dynamodb/gateway-table.ts';
import { IdempotencyTable } from '../adapters/dynamodb/idempotency-table.ts';
import { IdentityStoreTable } from '../adapters/dynamodb/identity-store-table.ts';
import { IntegrationTable } from '../adapters/dynamodb/integration-table.ts';
import { IntegrationService } from '../domain/integrations/integration-service.ts';
import { RelayCode } from '../domain/relay/relay-code.ts';
import { throttleDynamoDb, throttledSecrets } from '../adapters/faults/throttled.ts';
import {
  failingMetrics,
  failingPublisher,
  failingSendWrites,
  failingWebhookTransport,
  refusingGuard,
} from '../adapters/faults/side-path-faults.ts';
import { reliableTelemetry } from '../domain/side-effects.ts';
import { StoreSweep } from '../adapters/dynamodb/store-sweep.ts';
import { SqsSweepAgain } from '../adapters/sqs/sweep-again-queue.ts';
import { CachedSecretStore } from '../adapters/secrets/cached-secret-store.ts';
import { EncryptedFileStore } from '../adapters/secrets/encrypted-file-store.ts';
import { SecretsManagerStore } from '../adapters/secrets/secrets-manager-store.ts';
import { ConsoleSender } from '../adapters/sms/console-sender.ts';
import { ApiKeyService } from '../domain/api-keys/api-key-service.ts';
import { OriginVerifier } from '../domain/api-keys/origin-verify.ts';
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
import type { SweepAgain } from '../ports/store-items.ts';
import { DeletedStoreSweep } from '../domain/identity-stores/deleted-store-sweep.ts';
import { localRequests, sweepAfterInFlight } from './in-flight-requests.ts';
import type { Telemetry } from '../ports/telemetry.ts';
import { readConfig, type RuntimeConfig } from './config.ts';
import { EventLog } from '../domain/events/event-log.ts';
import type { DomainEvent } from '../domain/events/event.ts';
import type { EventPublisher } from '../ports/events.ts';
import { JsonlEventFile } from '../adapters/events/jsonl-event-file.ts';
import { ExpiryWatch } from '../adapters/events/expiry-watch.ts';
import { ReportExpiry } from '../domain/challenges/report-expiry.ts';
import { ReportScheduledExpiry } from '../domain/challenges/report-scheduled-expiry.ts';
import { ScheduleExpiryReport } from '../domain/challenges/schedule-expiry-report.ts';
import {
  EventBridgeExpiryScheduler,
  type ExpiryScheduleTarget,
} from '../adapters/events/eventbridge-expiry-scheduler.ts';
import { EventBridgePublisher } from '../adapters/events/eventbridge-publisher.ts';
import { WebhookTable } from '../adapters/dynamodb/webhook-table.ts';
import { WebhookService } from '../domain/webhooks/webhook-service.ts';
import { WebhookDelivery } from '../domain/webhooks/webhook-delivery.ts';
import {
  LocalWebhookDispatcher,
  realScheduler,
  type Scheduler,
} from '../adapters/webhooks/local-webhook-dispatcher.ts';
import type { WebhookTransport } from '../ports/webhook-repository.ts';
import type { StandardWebhooks } from '../ports/standard-webhooks.ts';
import { registerEventLog } from './event-hooks.ts';
import { SendHistoryTable } from '../adapters/dynamodb/send-history-table.ts';
import { ChallengeHistory } from '../domain/challenges/challenge-history.ts';
import { SendRecorder } from '../domain/deliveries/send-recorder.ts';
import type { SendHistory } from '../ports/send-history.ts';
import type { ReceiptDeps, ReceiveReceipt } from '../domain/deliveries/receive-receipt.ts';

/** The composition root: adapters are chosen here, from configuration, and nowhere else. */
export interface Services {
  config: RuntimeConfig;
  gateways: GatewayService;
  identityStores: IdentityStoreService;
  apiKeys: ApiKeyService;
  /** Behind CloudFront only: checks the origin-verify header before any API key is looked up. */
  originVerifier: OriginVerifier | undefined;
  applications: ApplicationService;
  mfa: MfaService;
  challenges: ChallengeService;
  idempotency: Idempotency;
  integrations: IntegrationService;
  relay: RelayCode;
  clock: Clock;
  replacementNotice: ReplacementNotice;
  storeSweep: DeletedStoreSweep;
  events: EventLog;
  webhooks: WebhookService;
  /** The fraud guard's active blocks (the blocks routes). */
  blocks: BlockService;
  /** Deployed: takes an approved challenge's sends off the unverified counts (the `challenge.approved` rule). */
  deferredUncount: DeferredUncount;
  /** One attempt of one event to one webhook (the deployed delivery function's work). */
  webhookDelivery: WebhookDelivery;
  challengeHistory: ChallengeHistory;
  /** The sends of challenges, which delivery receipts update. */
  sendHistory: SendHistory;
  /** Built by the receipt function's registration (`shared/runtime/receipts.ts`); absent elsewhere. */
  receipts: Pick<ReceiveReceipt, 'receive'>;
  /** Deployed, in the expiry functions (EXPIRY_SCHEDULE_GROUP set): schedules and runs expiry checks. */
  expiryReports: ExpiryReports | undefined;
}

export interface ExpiryReports {
  schedule: ScheduleExpiryReport;
  report: ReportScheduledExpiry;
}

export interface Overrides {
  clock?: Clock;
  random?: Random;
  secrets?: SecretStore;
  senders?: SmsSenders;
  telemetry?: Telemetry;
  /** The DynamoDB client, so tests can count round trips. */
  documents?: ReturnType<typeof createDocumentClient>;
  /** Where webhook attempts go (tests: a recorder); the guarded HTTP client otherwise. */
  webhookTransport?: WebhookTransport;
  /** Local webhook retries wait through this (tests: no real waiting). */
  webhookScheduler?: Scheduler;
  /**
   * Who takes an approved challenge's sends off the fraud guard's unverified counts. `inline` (local
   * mode's default: before the verify answer, api.md): the verify does, in a round after its write.
   * `deferred` (the deployed default): the `challenge.approved` event's consumer does (DeferredUncount,
   * functions/approval-uncount/event.ts), so a verify stays one round trip.
   */
  approvalUncount?: 'inline' | 'deferred';
}

export async function buildServices(config: RuntimeConfig, overrides: Overrides = {}): Promise<Services> {
  const clock = overrides.clock ?? shifted(systemClock, config.clockOffsetSeconds);
  const random = overrides.random ?? cryptoRandom;
  const baseTelemetry = overrides.telemetry ?? powertoolsTelemetry;
  // Metrics are a side path: one that cannot be recorded never fails the work that counted it.
  const telemetry = reliableTelemetry(
    config.faults.has('metrics') ? failingMetrics(baseTelemetry) : baseTelemetry,
  );
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
  const delivery = new SmsDelivery(
    directory,
    senders,
    telemetry,
    config.providerTimeoutMs,
    config.publicUrl ?? config.hookBaseUrl,
  );
  const replacementNotice = new ReplacementNotice(cachedStores, delivery, telemetry);
  // Local mode has no second function: the notice goes out in-process.
  const notifier: ReplacementNotifier = config.notifierFunctionName
    ? new LambdaNotifier(
        async () => new (await import('@aws-sdk/client-lambda')).LambdaClient({}),
        config.notifierFunctionName,
      )
    : { notify: async (storeId, phone) => void (await replacementNotice.send(storeId, phone)) };
  const storeSweep: DeletedStoreSweep = new DeletedStoreSweep({
    items: new StoreSweep(documents, config.tableName),
    secrets,
    again: sweepAgain(config, telemetry, (storeId) => storeSweep.sweep(storeId)),
  });
  const urlPolicy = {
    allowLoopbackHttp: config.localMode,
    hostProblem: (host: string) => outbound.hostProblem(host),
  };
  // Deliveries read webhooks, and the local expiry watcher challenges, with a client of their own:
  // deployed they run in another function, and locally they must not share the request's client (its
  // round trips are the request's budget). The send records written beside each `code.sent`
  // publication (SendRecorder) use it too: they overlap the publication that the answer already waits
  // for, not the use case's own sequence of round trips.
  const deliveryDocuments = overrides.documents
    ? createDocumentClient(config.dynamoDbEndpoint ? { endpoint: config.dynamoDbEndpoint } : {})
    : documents;
  const webhookTable = new WebhookTable(documents, config.tableName);
  const webhookDelivery = new WebhookDelivery({
    webhooks: new WebhookTable(deliveryDocuments, config.tableName),
    transport: config.faults.has('webhook-dispatch')
      ? failingWebhookTransport
      : (overrides.webhookTransport ?? webhookSending.transport(outbound)),
    signer: webhookSending.signer,
    clock,
  });
  const now = () => clock.now().getTime();
  // Who takes an approved challenge's sends off the unverified counts, and writes its ending (Overrides).
  const approvalUncount = overrides.approvalUncount ?? (config.localMode ? 'inline' : 'deferred');
  const publisher = new SendRecorder(
    config.faults.has('event-publish')
      ? failingPublisher
      : eventPublisher(config, webhookDelivery, telemetry, overrides.webhookScheduler),
    failingSendWrites(new SendHistoryTable(deliveryDocuments, config.tableName, now), config.faults),
    telemetry,
    approvalUncount,
  );
  // Deployed, a one-time schedule per challenge runs the check (the expiry functions, expiryReports).
  const expiryWatch =
    config.localMode && !config.eventBusName ? new ExpiryWatch(publisher, clock) : undefined;
  const events = new EventLog(expiryWatch ?? publisher, clock, random, telemetry, {
    guard: config.faults.has('event-guard') ? refusingGuard : undefined,
    wait: overrides.webhookScheduler ?? realScheduler,
  });
  registerEventLog(events, config.localMode ? 'local-admin' : 'unknown');
  const gateways = new GatewayService({
    gateways: gatewayTable,
    secrets,
    delivery,
    clock,
    random,
    consoleGatewayAllowed: config.consoleGatewayAllowed,
    urlPolicy,
  });

  const pepper = new PepperSource(secrets, clock, random, { createIfMissing: config.secretStore === 'file' });
  const counters = new SendCounterTable(documents, config.tableName);
  const reportExpiry = new ReportExpiry({
    challenges: new ChallengeStoreTable(deliveryDocuments, config.tableName),
    clock,
    events,
  });
  expiryWatch?.reportWith((challengeId) => reportExpiry.run(challengeId));
  const sendHistory = new SendHistoryTable(documents, config.tableName, now);
  const challengeStore = new ChallengeStoreTable(documents, config.tableName);
  const expiryReports = config.expirySchedules && scheduledExpiry(config.expirySchedules, reportExpiry);
  const idempotency = new Idempotency(new IdempotencyTable(documents, config.tableName), clock);

  return {
    config,
    clock,
    gateways,
    identityStores: new IdentityStoreService({
      stores: storeTable,
      gateways: gatewayTable,
      cleanup: storeCleanup(config, storeSweep),
      clock,
      random,
      pepper,
      testNumbersAllowed: config.testNumbersAllowed,
      voiceAllowed: config.voiceAllowed,
    }),
    apiKeys,
    originVerifier: config.originVerifyRequired
      ? new OriginVerifier(secrets, config.configCacheSeconds)
      : undefined,
    applications,
    mfa: new MfaService({ stores: cachedStores, factors: factorLookup(factorTable) }),
    challenges: new ChallengeService({
      challenges: challengeStore,
      factors: factorTable,
      ledger: new IssueLedgerTable(documents, config.tableName),
      counters,
      stores: cachedStores,
      delivery,
      notifier,
      pepper,
      clock,
      random,
      telemetry,
      events,
      approvalUncount,
      voiceAllowed: config.voiceAllowed,
    }),
    idempotency,
    integrations: new IntegrationService({
      integrations: new IntegrationTable(documents, config.tableName),
      stores: storeTable,
      secrets,
      clock,
      random,
      secretCacheSeconds: config.configCacheSeconds,
    }),
    relay: new RelayCode({
      stores: cachedStores,
      counters,
      delivery,
      voiceAllowed: config.voiceAllowed,
      idempotency,
      pepper,
      clock,
      random,
      telemetry,
      events,
    }),
    replacementNotice,
    storeSweep,
    events,
    webhooks: new WebhookService({ webhooks: webhookTable, stores: storeTable, clock, random, urlPolicy }),
    deferredUncount: new DeferredUncount({
      challenges: challengeStore,
      counters,
      history: sendHistory,
      clock,
    }),
    blocks: new BlockService({
      stores: storeTable,
      counters: new FraudCounterTable(documents, config.tableName),
      clock,
    }),
    webhookDelivery,
    challengeHistory: new ChallengeHistory({ history: sendHistory, clock }),
    receipts: registeredReceipts({ directory, history: sendHistory, events, telemetry, clock }),
    sendHistory,
    expiryReports,
  };
}

function scheduledExpiry(target: ExpiryScheduleTarget, report: ReportExpiry): ExpiryReports {
  const scheduler = new EventBridgeExpiryScheduler(
    async () => new (await import('@aws-sdk/client-scheduler')).SchedulerClient({}),
    target,
  );
  const schedule = new ScheduleExpiryReport({ scheduler });
  return { schedule, report: new ReportScheduledExpiry({ report, schedule }) };
}

/**
 * Deployed: the bus (a rule on it feeds the webhook queue). Local: `events.jsonl`, then the in-process
 * webhook dispatcher.
 */
function eventPublisher(
  config: RuntimeConfig,
  delivery: WebhookDelivery,
  telemetry: Telemetry,
  scheduler: Scheduler = realScheduler,
): EventPublisher {
  if (config.eventBusName) {
    return new EventBridgePublisher(
      async () => new (await import('@aws-sdk/client-eventbridge')).EventBridgeClient({}),
      config.eventBusName,
    );
  }
  if (!config.localMode) return { publish: async () => undefined };
  const dispatcher = new LocalWebhookDispatcher(delivery, telemetry, scheduler);
  return new JsonlEventFile(config.eventsFile, (event: DomainEvent) => dispatcher.dispatch(event));
}

/**
 * Deployed, deleting the store item is all the request does: the table's stream runs the sweeper
 * function (cdk/constructs/store-sweep.ts). Local mode has no stream, so it sweeps before answering.
 */
function storeCleanup(config: RuntimeConfig, sweep: DeletedStoreSweep): StoreCleanup {
  if (!config.localMode) return { storeDeleted: async () => undefined };
  return { storeDeleted: async (storeId) => void (await sweep.storeDeleted(storeId)) };
}

/**
 * The second pass of a deleted store's sweep. Deployed: a delayed message the sweeper function reads
 * back. Local: as soon as the requests in flight after the first pass have answered.
 */
function sweepAgain(
  config: RuntimeConfig,
  telemetry: Telemetry,
  sweep: (storeId: string) => Promise<number>,
): SweepAgain {
  if (config.sweepAgainQueueUrl) {
    return new SqsSweepAgain(
      async () => new (await import('@aws-sdk/client-sqs')).SQSClient({}),
      config.sweepAgainQueueUrl,
    );
  }
  if (config.localMode) {
    return sweepAfterInFlight(localRequests, sweep, (storeId, error) =>
      telemetry.warn('the second sweep of a deleted identity store failed', {
        storeId,
        error: error instanceof Error ? error.message : String(error),
      }),
    );
  }
  return {
    schedule: async () => {
      throw new Error('SWEEP_AGAIN_QUEUE_URL is required to sweep a deleted store a second time');
    },
  };
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

type ReceiptsFactory = (deps: Omit<ReceiptDeps, 'kinds'>) => ReceiveReceipt;
let receiptsFactory: ReceiptsFactory | undefined;

/**
 * Registered by the receipt function (`shared/runtime/receipts.ts`, with the provider modules' receipt
 * checks), so that every other bundle carries neither. Looked up on first use: local mode may build its
 * services before the receipt route is first loaded.
 */
export function registerReceipts(factory: ReceiptsFactory): void {
  receiptsFactory = factory;
}

function registeredReceipts(deps: Omit<ReceiptDeps, 'kinds'>): Pick<ReceiveReceipt, 'receive'> {
  let built: ReceiveReceipt | undefined;
  return {
    receive: (gatewayId, request) => {
      if (!receiptsFactory) throw new Error('delivery receipts are received by the receipt function only');
      built ??= receiptsFactory(deps);
      return built.receive(gatewayId, request);
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

type WebhookTransportFactory = (outbound: OutboundGuard) => WebhookTransport;
/**
 * Without a registered transport a webhook attempt gets no answer (and is retried by its caller); its
 * headers go nowhere, so they carry no signature.
 */
let webhookSending: { transport: WebhookTransportFactory; signer: StandardWebhooks } = {
  transport: () => ({ post: async () => ({ status: undefined }) }),
  signer: { sign: () => '', verify: () => false },
};

/**
 * Registered by `shared/runtime/webhook-transport.ts` where webhooks are delivered (as for the senders):
 * the guarded HTTP client (undici) and the Standard Webhooks library stay out of every other bundle.
 */
export function registerWebhookTransport(factory: WebhookTransportFactory, signer: StandardWebhooks): void {
  webhookSending = { transport: factory, signer };
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
