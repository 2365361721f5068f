import { RemovalPolicy } from 'aws-cdk-lib';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';

/**
 * Deployment settings, read once from CDK context (`cdk.json` or `-c key=value`). Values given with
 * `-c` arrive as strings, values from cdk.json or tests as JSON types; both are accepted.
 */
export interface StackConfig {
  /** Names the stack (`SmsMfa-<stage>`), functions, log groups and the secret name prefix. */
  stage: string;
  /** Whether the `console` SMS gateway type (writes codes to logs; for demos) may be configured. */
  consoleGatewayAllowed: boolean;
  /** What happens to the table and log groups when the stack is deleted. */
  removalPolicy: 'retain' | 'destroy';
  /** DynamoDB deletion protection; on unless the removal policy is `destroy`. */
  deletionProtection: boolean;
  logRetention: RetentionDays;
  /** HTTP API stage throttling: steady-state requests per second and burst. */
  throttleRate: number;
  throttleBurst: number;
  /** Where alarm notifications are e-mailed (an SNS e-mail subscription); none when unset. */
  alarmEmail?: string;
  /** Codes sent in 5 minutes above which the send-spike (SMS pumping) alarm fires. */
  codesSentAlarmThreshold: number;
  /** Provider failures, as a percentage of provider attempts in 5 minutes, above which the alarm fires. */
  providerFailureRateThreshold: number;
}

/** The context keys this app reads; anything else in context is CDK's own. */
export type StackContext = Partial<
  Record<keyof typeof DEFAULTS | 'deletionProtection' | 'alarmEmail', unknown>
>;

const DEFAULTS = {
  stage: 'dev',
  consoleGatewayAllowed: false,
  removalPolicy: 'retain',
  logRetentionDays: 30,
  throttleRate: 50,
  throttleBurst: 100,
  // A busy tenant sends a few codes a minute; hundreds in 5 minutes looks like SMS pumping (toll fraud).
  codesSentAlarmThreshold: 500,
  providerFailureRateThreshold: 20,
} as const;

/**
 * Deliberately loose (one @, no spaces, a dot in the domain): it catches typos such as a missing @ or
 * a trailing comma; SNS itself confirms the address with a subscription e-mail.
 */
const EMAIL = /^[^\s@,;]+@[^\s@,;]+\.[^\s@,;.]+$/;

/** CloudWatch Logs accepts only these retention periods (RetentionDays.INFINITE is deliberately not offered). */
const VALID_RETENTION_DAYS = new Set<number>(
  Object.values(RetentionDays).filter(
    (v): v is RetentionDays => typeof v === 'number' && v !== RetentionDays.INFINITE,
  ),
);

type ContextReader = (key: string) => unknown;

export function readStackConfig(tryGetContext: ContextReader): StackConfig {
  const stage = str(tryGetContext, 'stage', DEFAULTS.stage);
  // Lower case: the stage ends up in S3-style asset names, log group and function names and the secret prefix.
  if (!/^[a-z][a-z0-9-]{0,19}$/.test(stage)) {
    throw new Error(`context stage must match ^[a-z][a-z0-9-]{0,19}$, got ${JSON.stringify(stage)}`);
  }
  const removalPolicy = str(tryGetContext, 'removalPolicy', DEFAULTS.removalPolicy);
  if (removalPolicy !== 'retain' && removalPolicy !== 'destroy') {
    throw new Error(`context removalPolicy must be retain or destroy, got ${JSON.stringify(removalPolicy)}`);
  }
  const logRetentionDays = num(tryGetContext, 'logRetentionDays', DEFAULTS.logRetentionDays);
  if (!VALID_RETENTION_DAYS.has(logRetentionDays)) {
    throw new Error(
      `context logRetentionDays must be one of ${[...VALID_RETENTION_DAYS].sort((a, b) => a - b).join(', ')}; got ${logRetentionDays}`,
    );
  }
  const throttleRate = num(tryGetContext, 'throttleRate', DEFAULTS.throttleRate);
  const throttleBurst = num(tryGetContext, 'throttleBurst', DEFAULTS.throttleBurst);
  if (!(throttleRate > 0) || !(throttleBurst > 0) || !Number.isInteger(throttleBurst)) {
    throw new Error('context throttleRate must be > 0 and throttleBurst a positive integer');
  }
  // `-c alarmEmail=` (empty) means no subscription, like leaving it out.
  const alarmEmail = str(tryGetContext, 'alarmEmail', '').trim();
  if (alarmEmail !== '' && !EMAIL.test(alarmEmail)) {
    throw new Error(`context alarmEmail must be an e-mail address, got ${JSON.stringify(alarmEmail)}`);
  }
  const codesSentAlarmThreshold = num(
    tryGetContext,
    'codesSentAlarmThreshold',
    DEFAULTS.codesSentAlarmThreshold,
  );
  if (!Number.isInteger(codesSentAlarmThreshold) || codesSentAlarmThreshold < 1) {
    throw new Error(
      `context codesSentAlarmThreshold must be a positive integer, got ${codesSentAlarmThreshold}`,
    );
  }
  const providerFailureRateThreshold = num(
    tryGetContext,
    'providerFailureRateThreshold',
    DEFAULTS.providerFailureRateThreshold,
  );
  // A percentage the rate can exceed: at 100 the alarm could never fire, at 0 every failure would page.
  if (!(providerFailureRateThreshold > 0 && providerFailureRateThreshold < 100)) {
    throw new Error(
      `context providerFailureRateThreshold must be a percentage above 0 and below 100, got ${providerFailureRateThreshold}`,
    );
  }
  return {
    stage,
    consoleGatewayAllowed: bool(tryGetContext, 'consoleGatewayAllowed', DEFAULTS.consoleGatewayAllowed),
    removalPolicy,
    deletionProtection: bool(tryGetContext, 'deletionProtection', removalPolicy === 'retain'),
    logRetention: logRetentionDays as RetentionDays,
    throttleRate,
    throttleBurst,
    ...(alarmEmail !== '' ? { alarmEmail } : {}),
    codesSentAlarmThreshold,
    providerFailureRateThreshold,
  };
}

export function cdkRemovalPolicy(config: StackConfig): RemovalPolicy {
  return config.removalPolicy === 'destroy' ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN;
}

function str(get: ContextReader, key: string, fallback: string): string {
  const value = get(key);
  if (value === undefined) return fallback;
  if (typeof value !== 'string')
    throw new Error(`context ${key} must be a string, got ${JSON.stringify(value)}`);
  return value;
}

function num(get: ContextReader, key: string, fallback: number): number {
  const value = get(key);
  if (value === undefined) return fallback;
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isFinite(n)) {
    throw new Error(`context ${key} must be a number, got ${JSON.stringify(value)}`);
  }
  return n;
}

function bool(get: ContextReader, key: string, fallback: boolean): boolean {
  const value = get(key);
  if (value === undefined) return fallback;
  if (value === true || value === 'true') return true;
  if (value === false || value === 'false') return false;
  throw new Error(`context ${key} must be true or false, got ${JSON.stringify(value)}`);
}
