import * as z from 'zod/mini';
import type { ExpiryScheduleTarget } from '../adapters/events/eventbridge-expiry-scheduler.ts';
import { parseCidrs } from '../adapters/net/outbound-guard.ts';
import { SIDE_EFFECT_KINDS } from '../domain/side-effects.ts';

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
  /** Delivery failover (issue 26): CDK context `deliveryFailoverAllowed`; always allowed locally. */
  deliveryFailoverAllowed: boolean;
  outboxFile: string;
  /** Identity stores may list test numbers (CDK context `testNumbersAllowed`; always in local mode). */
  testNumbersAllowed: boolean;
  /** Stores may route adaptively (CDK context `adaptiveRoutingAllowed`, default on; always in local mode). */
  adaptiveRoutingAllowed: boolean;
  /** Local mode only (`ROUTING_SEED`): adaptive exploration draws from this seed, so runs repeat. */
  routingSeed: number | undefined;
  /** Identity stores may turn on voice calls (CDK context `voiceAllowed`; always in local mode). */
  voiceAllowed: boolean;
  localMode: boolean;
  /** How long stores, gateways and credentials are cached in a warm process (local mode: 0, apply at once). */
  configCacheSeconds: number;
  /** The store sweeper's queue for a deleted store's second pass (deployed: the sweeper function only). */
  sweepAgainQueueUrl?: string;
  /** Deployed: the delay queue that holds each delivery-failover job until its deadline (issue 26). */
  rerouteQueueUrl?: string;
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
  /**
   * Local mode only (`FAULTS=dynamodb,secrets`): every call to these dependencies fails as throttled; a
   * side path named there (`event-publish`, `webhook-dispatch`, `metrics`, `send-record`,
   * `receipt-pointer`, `event-guard`) fails every time.
   */
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

export const FAULTS = ['dynamodb', 'secrets', ...SIDE_EFFECT_KINDS] as const;
export type Fault = (typeof FAULTS)[number];

/** Where a variable is read: set by CDK on deployed functions, by `npm start` locally, or both. */
export type VariableScope = 'deployed' | 'local' | 'both';

/** What docs/configuration.md shows of a variable besides its name. */
export interface VariableDoc {
  description: string;
  scope: VariableScope;
  /** The default in words, when unset (or empty). */
  default?: string;
}

/** Each variable's documentation, keyed by its schema (`npm run docs` reads it). */
export const variableDocs = z.registry<VariableDoc, z.ZodMiniType>();

const documented = <T extends z.ZodMiniType>(schema: T, doc: VariableDoc): T => {
  variableDocs.add(schema, doc);
  return schema;
};
const text = (doc: VariableDoc) => documented(z.optional(z.string()), doc);
/** `true` turns it on; any other value (or none) leaves it off (read by `readConfig`). */
const flag = text;
/** Validated here, converted by `readConfig`: transforms would bring more of zod into every bundle. */
const wholeNumber = (name: string, min: number, doc: VariableDoc) =>
  documented(
    z.optional(
      z.string().check(
        z.refine(
          (value) => /^-?\d+$/.test(value) && Number.isSafeInteger(Number(value)) && Number(value) >= min,
          {
            error: (issue) =>
              `${name} must be a whole number${min > Number.MIN_SAFE_INTEGER ? ` of at least ${min}` : ''}, not ${String(issue.input)}`,
          },
        ),
      ),
    ),
    doc,
  );
const listed = (value: string) =>
  value
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);

/** api.md "Local mode additions": testing switches that a deployed function refuses to start with. */
const LOCAL_ONLY = ['CLOCK_OFFSET_SECONDS', 'FAULTS', 'PUBLIC_URL'] as const;

/**
 * Every environment variable the runtime reads, with what docs/configuration.md says of it: the schema
 * that validates the environment is the one the page is generated from (`npm run docs`). zod/mini, since
 * this is in every function, the API key authorizer included, which carries no other zod.
 */
export const runtimeEnvironment = z
  .object({
    TABLE_NAME: documented(z.string({ error: 'environment variable TABLE_NAME is required' }), {
      scope: 'both',
      description: 'the DynamoDB table',
    }),
    DYNAMODB_ENDPOINT: text({
      scope: 'local',
      description: 'the DynamoDB endpoint to use instead of AWS: DynamoDB Local (local mode and tests)',
    }),
    SECRET_STORE: documented(
      z.optional(
        z.enum(['secrets-manager', 'file'], {
          error: (issue) => `SECRET_STORE must be secrets-manager or file, not ${String(issue.input)}`,
        }),
      ),
      {
        scope: 'both',
        default: '`secrets-manager`',
        description: '`secrets-manager` (deployed) or `file` (local)',
      },
    ),
    SECRET_NAME_PREFIX: text({
      scope: 'deployed',
      description:
        'Secrets Manager name prefix, e.g. `sms-mfa/dev/`; IAM is limited to it (required with `secrets-manager`)',
    }),
    SECRET_KMS_KEY_ID: text({
      scope: 'deployed',
      description: 'the customer-managed KMS key that new gateway secrets are encrypted with',
    }),
    DATA_DIR: text({
      scope: 'local',
      default: '`/tmp/sms-mfa` (`npm start`: `.local`)',
      description: 'local data: the encrypted secret file, the outbox, `events.jsonl`',
    }),
    CONSOLE_OUTBOX_FILE: text({
      scope: 'local',
      default: '`$DATA_DIR/outbox.jsonl`',
      description: 'where the `console` gateway appends each message',
    }),
    LOCAL_MODE: flag({
      scope: 'local',
      description: '`true` in the local server: allows the testing switches below and test numbers',
    }),
    CONSOLE_GATEWAY_ALLOWED: flag({ scope: 'both', description: '`true` allows the `console` gateway type' }),
    DELIVERY_FAILOVER_ALLOWED: flag({
      scope: 'deployed',
      description:
        '`true` allows `routing.deliveryDeadlineSeconds` (CDK context `deliveryFailoverAllowed`; local mode: always)',
    }),
    TEST_NUMBERS_ALLOWED: flag({
      scope: 'deployed',
      description: '`true` allows `testNumbers` on stores (store create and update; local mode: always)',
    }),
    ADAPTIVE_ROUTING_ALLOWED: flag({
      scope: 'deployed',
      default: '`true`',
      description:
        '`false` turns adaptive routing off deployment-wide: stores that have it route in order (local mode: always allowed)',
    }),
    ROUTING_SEED: wholeNumber('ROUTING_SEED', 0, {
      scope: 'local',
      description: 'seeds the adaptive routing exploration draw, so that a run repeats its choices',
    }),
    VOICE_ALLOWED: flag({
      scope: 'deployed',
      description:
        '`true` allows `voice.enabled` on stores and calls (store writes and sends; local mode: always)',
    }),
    CONFIG_CACHE_SECONDS: wholeNumber('CONFIG_CACHE_SECONDS', 0, {
      scope: 'both',
      default: '30 (local mode: 0)',
      description: 'how long stores, gateways and credentials are cached in a warm process',
    }),
    PROVIDER_TIMEOUT_MS: wholeNumber('PROVIDER_TIMEOUT_MS', 1, {
      scope: 'both',
      default: '5000',
      description: 'the limit of one provider attempt, shortened to what is left of the send deadline',
    }),
    OUTBOUND_ALLOW_CIDRS: text({
      scope: 'deployed',
      description:
        'comma-separated CIDRs that provider and proxy connections may reach although private or reserved',
    }),
    ORIGIN_VERIFY_REQUIRED: flag({
      scope: 'deployed',
      description:
        "`true` (the authorizer, with edge protection): `/v1` requests must carry CloudFront's origin-verify header",
    }),
    NOTIFIER_FUNCTION_NAME: text({
      scope: 'deployed',
      description: 'the function that sends number-replacement notices (locally they are sent in-process)',
    }),
    EVENT_BUS_NAME: text({
      scope: 'deployed',
      description: 'the EventBridge bus every event goes to (`sms-mfa-<stage>`; locally `events.jsonl`)',
    }),
    EXPIRY_SCHEDULE_GROUP: text({
      scope: 'deployed',
      description: 'the expiry functions: the EventBridge Scheduler group where expiry checks are scheduled',
    }),
    EXPIRY_REPORTER_ARN: text({
      scope: 'deployed',
      description: 'the function the expiry schedules invoke (required with `EXPIRY_SCHEDULE_GROUP`)',
    }),
    EXPIRY_SCHEDULER_ROLE_ARN: text({
      scope: 'deployed',
      description: 'the role EventBridge Scheduler invokes it with (required with `EXPIRY_SCHEDULE_GROUP`)',
    }),
    HOOK_BASE_URL: text({
      scope: 'deployed',
      description: "the public base URL that integrations' `hookUrl` starts with",
    }),
    SWEEP_AGAIN_QUEUE_URL: text({
      scope: 'deployed',
      description: "the store sweeper only: the delay queue that runs a deleted store's second sweep pass",
    }),
    REROUTE_QUEUE_URL: text({
      scope: 'deployed',
      description:
        'the functions that send or take receipts, and the reroute worker: the delay queue that holds each ' +
        'delivery-failover job until its deadline (unset locally: a timer in the server)',
    }),
    CLOCK_OFFSET_SECONDS: wholeNumber('CLOCK_OFFSET_SECONDS', Number.MIN_SAFE_INTEGER, {
      scope: 'local',
      default: '0',
      description:
        "local mode only: shifts the service's clock (send windows, expiry, lockouts) by that many seconds",
    }),
    FAULTS: documented(
      z.optional(
        z.string().check(
          z.refine((value) => listed(value).every((fault) => (FAULTS as readonly string[]).includes(fault)), {
            error: (issue) => `FAULTS may list ${FAULTS.join(', ')}, not ${String(issue.input)}`,
          }),
        ),
      ),
      {
        scope: 'local',
        description:
          'local mode only, comma-separated: `dynamodb`, `secrets` (every call throttled), ' +
          '[side-path kinds](operations.md#side-paths-never-fail-a-request)',
      },
    ),
    PUBLIC_URL: documented(
      z.optional(
        z.string().check(
          z.refine((url) => /^https?:$/.test(URL.parse(url)?.protocol ?? ''), {
            error: (issue) => `PUBLIC_URL must be an absolute http(s) URL, not ${String(issue.input)}`,
          }),
        ),
      ),
      {
        scope: 'local',
        description: 'local mode only: the base URL that sends put into provider callback parameters',
      },
    ),
  })
  .check(
    z.superRefine((env, context) => {
      const issue = (name: string, message: string) =>
        context.addIssue({ code: 'custom', path: [name], message, input: env[name as keyof typeof env] });
      const set = LOCAL_ONLY.filter((name) => env[name] !== undefined);
      if (env.LOCAL_MODE !== 'true' && set.length > 0) {
        issue(
          set[0]!,
          `${set.join(', ')} ${set.length > 1 ? 'are' : 'is'} for local mode only; unset when deployed`,
        );
      }
      if ((env.SECRET_STORE ?? 'secrets-manager') === 'secrets-manager' && !env.SECRET_NAME_PREFIX) {
        issue('SECRET_NAME_PREFIX', 'environment variable SECRET_NAME_PREFIX is required');
      }
      if (env.EXPIRY_SCHEDULE_GROUP) {
        for (const name of ['EXPIRY_REPORTER_ARN', 'EXPIRY_SCHEDULER_ROLE_ARN'] as const) {
          if (!env[name]) issue(name, `environment variable ${name} is required`);
        }
      }
    }),
  );

type RuntimeEnvironment = z.output<typeof runtimeEnvironment>;

/** The variables the schema knows, each set and not empty (an empty value counts as unset). */
function present(env: NodeJS.ProcessEnv): Record<string, string> {
  return Object.fromEntries(
    Object.keys(runtimeEnvironment.shape).flatMap((name) => (env[name] ? [[name, env[name]]] : [])),
  );
}

function parsed(env: NodeJS.ProcessEnv): RuntimeEnvironment {
  const result = runtimeEnvironment.safeParse(present(env));
  if (result.success) return result.data;
  throw new Error(result.error.issues.map((issue) => issue.message).join('; '));
}

export function readConfig(env: NodeJS.ProcessEnv = process.env): RuntimeConfig {
  const vars = parsed(env);
  const secretStore = vars.SECRET_STORE ?? 'secrets-manager';
  const dataDir = vars.DATA_DIR ?? '/tmp/sms-mfa';
  const localMode = vars.LOCAL_MODE === 'true';
  return {
    clockOffsetSeconds: Number(vars.CLOCK_OFFSET_SECONDS ?? 0),
    faults: new Set(listed(vars.FAULTS ?? '') as Fault[]),
    publicUrl: vars.PUBLIC_URL,
    tableName: vars.TABLE_NAME,
    dynamoDbEndpoint: vars.DYNAMODB_ENDPOINT,
    secretStore,
    secretNamePrefix: secretStore === 'secrets-manager' ? vars.SECRET_NAME_PREFIX! : '',
    secretKmsKeyId: vars.SECRET_KMS_KEY_ID,
    dataDir,
    consoleGatewayAllowed: vars.CONSOLE_GATEWAY_ALLOWED === 'true',
    testNumbersAllowed: localMode || vars.TEST_NUMBERS_ALLOWED === 'true',
    adaptiveRoutingAllowed: localMode || vars.ADAPTIVE_ROUTING_ALLOWED !== 'false',
    routingSeed: localMode && vars.ROUTING_SEED ? Number(vars.ROUTING_SEED) : undefined,
    deliveryFailoverAllowed: localMode || vars.DELIVERY_FAILOVER_ALLOWED === 'true',
    voiceAllowed: localMode || vars.VOICE_ALLOWED === 'true',
    outboxFile: vars.CONSOLE_OUTBOX_FILE ?? `${dataDir}/outbox.jsonl`,
    localMode,
    notifierFunctionName: vars.NOTIFIER_FUNCTION_NAME,
    eventBusName: vars.EVENT_BUS_NAME,
    expirySchedules: vars.EXPIRY_SCHEDULE_GROUP
      ? {
          groupName: vars.EXPIRY_SCHEDULE_GROUP,
          functionArn: vars.EXPIRY_REPORTER_ARN!,
          roleArn: vars.EXPIRY_SCHEDULER_ROLE_ARN!,
        }
      : undefined,
    eventsFile: `${dataDir}/events.jsonl`,
    originVerifyRequired: vars.ORIGIN_VERIFY_REQUIRED === 'true',
    outboundAllowCidrs: parseCidrs(vars.OUTBOUND_ALLOW_CIDRS),
    providerTimeoutMs: Number(vars.PROVIDER_TIMEOUT_MS ?? 5000),
    hookBaseUrl: vars.HOOK_BASE_URL,
    configCacheSeconds: Number(vars.CONFIG_CACHE_SECONDS ?? (localMode ? 0 : 30)),
    sweepAgainQueueUrl: vars.SWEEP_AGAIN_QUEUE_URL,
    rerouteQueueUrl: vars.REROUTE_QUEUE_URL,
  };
}
