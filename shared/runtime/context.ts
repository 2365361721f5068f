import { createDocumentClient } from '../adapters/dynamodb/document-client.ts';
import { throttleDynamoDb } from '../adapters/faults/throttled.ts';
import { eventBridgeSdk } from '../adapters/events/eventbridge-loader.ts';
import { failingMetrics } from '../adapters/faults/side-path-faults.ts';
import { reliableTelemetry } from '../domain/side-effects.ts';
import { powertoolsTelemetry } from '../observability/powertools-telemetry.ts';
import { systemClock, type Clock } from '../ports/clock.ts';
import type { AwsClients, Context, ContextParts, Feature } from './context-types.ts';
import { cryptoRandom } from '../ports/random.ts';
import { readConfig, type RuntimeConfig } from './config.ts';
import { currentContext, useContext } from './context-slot.ts';
import { chooseStrategies } from './strategies.ts';

const lazy = <T>(make: () => T): (() => T) => {
  let made: { value: T } | undefined;
  return () => (made ??= { value: make() }).value;
};

export function createContext(config: RuntimeConfig, parts: ContextParts = {}): Context {
  const clock = parts.clock ?? shifted(systemClock, config.clockOffsetSeconds);
  const base = parts.telemetry ?? powertoolsTelemetry;
  const built = new Map<symbol, unknown>();
  const documents = lazy(() => {
    const client =
      parts.documents ??
      createDocumentClient(config.dynamoDbEndpoint ? { endpoint: config.dynamoDbEndpoint } : {});
    if (config.faults.has('dynamodb')) throttleDynamoDb(client);
    return client;
  });
  const aws: AwsClients = {
    eventBridge: lazy(async () => new (await eventBridgeSdk()).EventBridgeClient({})),
    sqs: lazy(async () => new (await import('@aws-sdk/client-sqs')).SQSClient({})),
    lambda: lazy(async () => new (await import('@aws-sdk/client-lambda')).LambdaClient({})),
    scheduler: lazy(async () => new (await import('@aws-sdk/client-scheduler')).SchedulerClient({})),
  };
  return {
    config,
    clock,
    random: parts.random ?? cryptoRandom,
    // Metrics are a side path: one that cannot be recorded never fails the work that counted it.
    telemetry: reliableTelemetry(config.faults.has('metrics') ? failingMetrics(base) : base),
    strategies: chooseStrategies(config, parts),
    parts,
    documents,
    sidePathDocuments: () => parts.sidePathDocuments ?? documents(),
    aws,
    once: <T>(key: symbol, build: () => T): T => {
      if (!built.has(key)) built.set(key, build());
      return built.get(key) as T;
    },
    peek: <T>(key: symbol) => built.get(key) as T | undefined,
  };
}

/** Local mode's CLOCK_OFFSET_SECONDS. */
function shifted(clock: Clock, offsetSeconds: number): Clock {
  return offsetSeconds === 0 ? clock : { now: () => new Date(clock.now().getTime() + offsetSeconds * 1000) };
}

/**
 * A feature's services, built on first use from the current context (or the one given) and kept with it.
 * The key is the feature's own: two features never share a slot. Defining one has no effect outside it,
 * so each definition is marked pure (an `@__PURE__` comment): esbuild then drops a feature no handler
 * reaches, and with it what only that feature imports (a wiring module that defines several, such as
 * config-reads.ts, would otherwise bring all of them; test/unit/wiring-features.test.ts checks the mark).
 */
export function feature<T>(name: string | symbol, build: (ctx: Context) => T): Feature<T> {
  const key = typeof name === 'symbol' ? name : Symbol(name);
  const get = (ctx: Context = context()) => ctx.once(key, () => build(ctx));
  return Object.assign(get, {
    built: (ctx: Context = context()) => ctx.peek<T>(key),
    provide: (ctx: Context, value: T) => void ctx.once(key, () => value),
  });
}

/** The process's context: made on first use from the environment, then kept for the warm Lambda. */
export function context(): Context {
  return currentContext() ?? installed(createContext(readConfig()));
}

function installed(made: Context): Context {
  useContext(made);
  return made;
}

export { EVENTS, USER_REFS, useContext } from './context-slot.ts';
export type {
  AwsClients,
  Context,
  ContextParts,
  Feature,
  ProviderSenders,
  WebhookSending,
} from './context-types.ts';
