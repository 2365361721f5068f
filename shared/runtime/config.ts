import type { ExpiryScheduleTarget } from '../adapters/events/eventbridge-expiry-scheduler.ts';
import { parseCidrs } from '../adapters/net/outbound-guard.ts';

/** Everything the runtime reads from its environment, checked once. CDK and local mode set these. */
export interface RuntimeConfig {
  tableName: string;
  /** Local mode and tests: DynamoDB Local. */
  dynamoDbEndpoint: string | undefined;
  secretStore: 'secrets-manager' | 'file';
  secretNamePrefix: string;
  /** Deployed: the customer-managed KMS key that new gateway secrets are encrypted with. */
  secretKmsKeyId: string | undefined;
  dataDir: string;
  consoleGatewayAllowed: boolean;
  outboxFile: string;
  /** Identity stores may list test numbers (CDK context `testNumbersAllowed`; always in local mode). */
  testNumbersAllowed: boolean;
  localMode: boolean;
  /** How long stores, gateways and credentials are cached in a warm process (local mode: 0, apply at once). */
  configCacheSeconds: number;
  /** The store sweeper's queue for a deleted store's second pass (deployed: the sweeper function only). */
  sweepAgainQueueUrl?: string;
  /** Per-attempt limit for a provider call. */
  providerTimeoutMs: number;
  /** Ranges outbound connections may reach although private or reserved (OUTBOUND_ALLOW_CIDRS, comma-separated). */
  outboundAllowCidrs: string[];
  /**
   * Deployed behind CloudFront (`ORIGIN_VERIFY_REQUIRED=true`, set by CDK on the API key authorizer when
   * edge protection is on): `/v1` requests must carry CloudFront's origin-verify header. Never locally.
   */
  originVerifyRequired: boolean;
  /** Deployed: the function that sends number-replacement notices; unset locally (sent in-process). */
  notifierFunctionName: string | undefined;
  /** Local mode only (`CLOCK_OFFSET_SECONDS`): shifts the service's clock, for testing windows and expiry. */
  clockOffsetSeconds: number;
  /** Local mode only (`FAULTS=dynamodb,secrets`): every call to these dependencies fails as throttled. */
  faults: ReadonlySet<Fault>;
  /** Deployed: the EventBridge bus every event goes to (`sms-mfa-<stage>`); unset locally. */
  eventBusName: string | undefined;
  /**
   * Deployed, in the expiry functions only (EXPIRY_SCHEDULE_GROUP, EXPIRY_REPORTER_ARN,
   * EXPIRY_SCHEDULER_ROLE_ARN): where expiry checks are scheduled and what they invoke.
   */
  expirySchedules: ExpiryScheduleTarget | undefined;
  /** Local mode: every event as a JSON line. */
  eventsFile: string;
  /** Local mode only (`PUBLIC_URL`): the base URL that sends put into provider callback parameters. */
  publicUrl: string | undefined;
  /** Deployed: the public base URL that integrations' `hookUrl` starts with (HOOK_BASE_URL). */
  hookBaseUrl: string | undefined;
}

export const FAULTS = ['dynamodb', 'secrets'] as const;
export type Fault = (typeof FAULTS)[number];

/** api.md "Local mode additions": testing switches that a deployed function refuses to start with. */
const LOCAL_ONLY = ['CLOCK_OFFSET_SECONDS', 'FAULTS', 'PUBLIC_URL'] as const;

function localSwitches(env: NodeJS.ProcessEnv, localMode: boolean) {
  const set = LOCAL_ONLY.filter((name) => env[name]);
  if (!localMode && set.length > 0) {
    throw new Error(
      `${set.join(', ')} ${set.length > 1 ? 'are' : 'is'} for local mode only; unset when deployed`,
    );
  }
  const offset = Number(env.CLOCK_OFFSET_SECONDS ?? 0);
  if (!Number.isSafeInteger(offset)) {
    throw new Error(
      `CLOCK_OFFSET_SECONDS must be a whole number of seconds, not ${env.CLOCK_OFFSET_SECONDS}`,
    );
  }
  const faults = (env.FAULTS ?? '')
    .split(',')
    .map((fault) => fault.trim())
    .filter(Boolean);
  const unknown = faults.filter((fault) => !(FAULTS as readonly string[]).includes(fault));
  if (unknown.length > 0) throw new Error(`FAULTS may list ${FAULTS.join(', ')}, not ${unknown.join(', ')}`);
  const publicUrl = env.PUBLIC_URL || undefined;
  if (publicUrl !== undefined && !/^https?:$/.test(URL.parse(publicUrl)?.protocol ?? '')) {
    throw new Error(`PUBLIC_URL must be an absolute http(s) URL, not ${publicUrl}`);
  }
  return { clockOffsetSeconds: offset, faults: new Set(faults as Fault[]), publicUrl };
}

function required(env: NodeJS.ProcessEnv, name: string): string {
  const value = env[name];
  if (!value) throw new Error(`environment variable ${name} is required`);
  return value;
}

export function readConfig(env: NodeJS.ProcessEnv = process.env): RuntimeConfig {
  const secretStore = env.SECRET_STORE ?? 'secrets-manager';
  if (secretStore !== 'secrets-manager' && secretStore !== 'file') {
    throw new Error(`SECRET_STORE must be secrets-manager or file, not ${secretStore}`);
  }
  const dataDir = env.DATA_DIR ?? '/tmp/sms-mfa';
  const localMode = env.LOCAL_MODE === 'true';
  return {
    ...localSwitches(env, localMode),
    tableName: required(env, 'TABLE_NAME'),
    dynamoDbEndpoint: env.DYNAMODB_ENDPOINT || undefined,
    secretStore,
    secretNamePrefix: secretStore === 'secrets-manager' ? required(env, 'SECRET_NAME_PREFIX') : '',
    secretKmsKeyId: env.SECRET_KMS_KEY_ID || undefined,
    dataDir,
    consoleGatewayAllowed: env.CONSOLE_GATEWAY_ALLOWED === 'true',
    testNumbersAllowed: localMode || env.TEST_NUMBERS_ALLOWED === 'true',
    outboxFile: env.CONSOLE_OUTBOX_FILE ?? `${dataDir}/outbox.jsonl`,
    localMode,
    notifierFunctionName: env.NOTIFIER_FUNCTION_NAME || undefined,
    eventBusName: env.EVENT_BUS_NAME || undefined,
    expirySchedules: expirySchedules(env),
    eventsFile: `${dataDir}/events.jsonl`,
    originVerifyRequired: env.ORIGIN_VERIFY_REQUIRED === 'true',
    outboundAllowCidrs: parseCidrs(env.OUTBOUND_ALLOW_CIDRS),
    providerTimeoutMs: Number(env.PROVIDER_TIMEOUT_MS ?? 5000),
    hookBaseUrl: env.HOOK_BASE_URL || undefined,
    configCacheSeconds: Number(env.CONFIG_CACHE_SECONDS ?? (env.LOCAL_MODE === 'true' ? 0 : 30)),
    sweepAgainQueueUrl: env.SWEEP_AGAIN_QUEUE_URL || undefined,
  };
}

function expirySchedules(env: NodeJS.ProcessEnv): ExpiryScheduleTarget | undefined {
  if (!env.EXPIRY_SCHEDULE_GROUP) return undefined;
  return {
    groupName: env.EXPIRY_SCHEDULE_GROUP,
    functionArn: required(env, 'EXPIRY_REPORTER_ARN'),
    roleArn: required(env, 'EXPIRY_SCHEDULER_ROLE_ARN'),
  };
}
