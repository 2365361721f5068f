import type { DeliveryStats } from '../ports/delivery-stats.ts';
import type { TimerScheduler } from '../adapters/reroutes/local-reroute-timers.ts';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import type { LambdaClient } from '@aws-sdk/client-lambda';
import type { SchedulerClient } from '@aws-sdk/client-scheduler';
import type { SQSClient } from '@aws-sdk/client-sqs';
import type { OutboundGuard } from '../adapters/net/outbound-guard.ts';
import type { Scheduler } from '../adapters/webhooks/local-webhook-dispatcher.ts';
import type { ExpiryCheck } from '../domain/challenges/report-expiry.ts';
import type { RerouteJob } from '../domain/deliveries/reroute-code.ts';
import type { RerouteQueue } from '../ports/reroute-queue.ts';
import type { Clock } from '../ports/clock.ts';
import type { EventPublisher } from '../ports/events.ts';
import type { Random } from '../ports/random.ts';
import type { ReplacementNotifier } from '../ports/replacement-notifier.ts';
import type { SecretStore } from '../ports/secret-store.ts';
import type { StoreCleanup } from '../ports/store-cleanup.ts';
import type { SmsSender, SmsSenders } from '../ports/sms-sender.ts';
import type { StandardWebhooks } from '../ports/standard-webhooks.ts';
import type { Telemetry } from '../ports/telemetry.ts';
import type { WebhookTransport } from '../ports/webhook-repository.ts';
import type { RuntimeConfig } from './config.ts';
import type { Strategies } from './strategies.ts';

/** The provider adapters, handed in by what sends (they bring undici): `adapters/sms/senders.ts`. */
export type ProviderSenders = (options: {
  timeoutMs: number;
  console: SmsSender;
  outbound: OutboundGuard;
}) => SmsSenders;

/** How webhook attempts go out and are signed, handed in by what delivers webhooks (undici, the library). */
export interface WebhookSending {
  transport: (outbound: OutboundGuard) => WebhookTransport;
  signer: StandardWebhooks;
}

/** Wraps the event publisher so that something happens beside each publication. */
export type PublisherWrapper = (ctx: Context, inner: EventPublisher) => EventPublisher;

/** What a test (or the local server) puts in place of the context's defaults. */
export interface ContextParts {
  clock?: Clock;
  random?: Random;
  secrets?: SecretStore;
  /** Every sender, console included (tests: fakes). Without it: the console and the handed-in providers. */
  senders?: SmsSenders;
  telemetry?: Telemetry;
  /** The DynamoDB client, so tests can count round trips. */
  documents?: DynamoDBDocumentClient;
  /**
   * Tests that count a use case's own round trips only: the client of the writes and reads beside it
   * (send records, webhook reads, expiry reads), which overlap the answer's publication. Deployed and
   * locally there is no such second client: `documents` serves them.
   */
  /** Delivery statistics for bounded deadline reroutes (tests: in memory); routing's otherwise. */
  deliveryStats?: DeliveryStats;
  /** When reroute jobs run (tests: at once). */
  rerouteTimers?: TimerScheduler;
  /**
   * Local mode's reroute jobs (the `timers` strategy): handed in by the local context, so that no
   * deployed function bundles the timers.
   */
  localRerouteQueue?: (run: (job: RerouteJob) => Promise<unknown>, ctx: Context) => RerouteQueue;
  /**
   * Locally, the writes a deployed table stream makes instead of any request (the usage ledger's
   * projection): a test that counts a request's round trips gives them a client of their own.
   */
  streamDocuments?: DynamoDBDocumentClient;
  sidePathDocuments?: DynamoDBDocumentClient;
  /** Where webhook attempts go (tests: a recorder); the handed-in webhook sending's transport otherwise. */
  webhookTransport?: WebhookTransport;
  /** Local webhook retries wait through this (tests: no real waiting). */
  webhookScheduler?: Scheduler;
  /** Who un-counts an approved challenge's sends: see `Strategies.approvalUncount`. */
  approvalUncount?: 'inline' | 'deferred';
  /** Where gateway health lives: see `Strategies.gatewayHealth` (tests: two local instances sharing the table). */
  gatewayHealth?: 'in-process' | 'table';
  /** Local mode (one process serves every route): the provider adapters for every feature. */
  providers?: ProviderSenders;
  /** Local mode: the webhook transport and signer for the in-process dispatcher. */
  webhookSending?: WebhookSending;
  /**
   * Local mode (strategy `eventFeeds: 'in-process'`): counts each published event into the usage ledger
   * and routing's statistics, the work the table stream does deployed.
   */
  eventFeeds?: PublisherWrapper;
  /** Local mode (strategy `eventPublishing: 'events-file'`): `events.jsonl` and the in-process webhooks. */
  eventsFile?: (ctx: Context) => EventPublisher;
  /** Strategy `rerouteJobs: 'timers'`: starts each accepted message's deadline on local timers. */
  deadlineWatch?: PublisherWrapper;
  /**
   * Strategy `replacementNotice: 'in-process'` (local mode): a replaced number's notice sent through the
   * challenge core's delivery, for what sends nothing itself (verify, the support desk's reset:
   * wiring/replacement-notifier.ts); deployed, the notifier function sends it, so none bundles the delivery.
   */
  replacementNotice?: (ctx: Context) => ReplacementNotifier;
  /** Strategy `storeCleanup: 'in-request'` (local mode): a deleted store's sweep, run before the answer. */
  inRequestSweep?: (ctx: Context) => StoreCleanup;
  /** Local mode: what the in-process expiry watch runs when a challenge's expiry is due. */
  expiryReport?: (ctx: Context) => { run(challengeId: string): Promise<ExpiryCheck> };
}

/**
 * The AWS clients other than DynamoDB and Secrets Manager (wiring/secrets.ts), each made on first use:
 * their SDKs are external to the bundles and load then, not at init.
 */
export interface AwsClients {
  eventBridge(): Promise<EventBridgeClient>;
  sqs(): Promise<SQSClient>;
  lambda(): Promise<LambdaClient>;
  scheduler(): Promise<SchedulerClient>;
}

/**
 * What every feature's wiring builds from: the configuration, time, randomness, telemetry, the clients
 * (made lazily, one of each) and the local-or-deployed strategies. A feature's services are built once
 * per context (`once`), so a warm Lambda and the local server reuse them.
 */
export interface Context {
  readonly config: RuntimeConfig;
  readonly clock: Clock;
  readonly random: Random;
  readonly telemetry: Telemetry;
  readonly strategies: Strategies;
  readonly parts: ContextParts;
  /** The one DynamoDB document client: every table access of every feature goes through it. */
  documents(): DynamoDBDocumentClient;
  /** The client of the side paths: `documents()` unless a test that counts round trips set its own. */
  sidePathDocuments(): DynamoDBDocumentClient;
  readonly aws: AwsClients;
  once<T>(key: symbol, build: () => T): T;
  peek<T>(key: symbol): T | undefined;
}

/**
 * A feature's accessor. `built` answers without building (undefined until something used the feature);
 * `provide` puts a ready-made value in a context before first use (a test's fake of a whole feature).
 */
export type Feature<T> = ((ctx?: Context) => T) & {
  built(ctx?: Context): T | undefined;
  provide(ctx: Context, value: T): void;
};
