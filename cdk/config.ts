import { RemovalPolicy } from 'aws-cdk-lib';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { parseCidrs } from '../shared/adapters/net/outbound-guard.ts';

/**
 * Deployment settings, read once from CDK context (`cdk.json` or `-c key=value`). Values given with
 * `-c` arrive as strings, values from cdk.json or tests as JSON types; both are accepted.
 */
export interface StackConfig {
  /** Names the stack (`SmsMfa-<stage>`), functions, log groups and the secret name prefix. */
  stage: string;
  /** Whether the `console` SMS gateway type (writes codes to logs; for demos) may be configured. */
  consoleGatewayAllowed: boolean;
  /** Whether identity stores may list test numbers (fictional numbers with a fixed code; test stages). */
  testNumbersAllowed: boolean;
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
  /** CloudFormation termination protection; on unless the removal policy is `destroy` (test stages). */
  terminationProtection: boolean;
  /** Retention of the API access log and the authorizer's log: the authentication audit trail. */
  auditLogRetention: RetentionDays;
  /**
   * Reserved concurrency of each function that sends SMS: the spend cap (at most this many sends in
   * flight per function). 0 is the kill switch: every send is refused with a 5xx until it is raised.
   */
  sendConcurrency: number;
  /** Per-route throttling of the three `/v1` send routes and gateway test connection (rate and burst). */
  sendThrottleRate: number;
  sendThrottleBurst: number;
  /** Per-route throttling of the unauthenticated routes (health, OpenAPI document). */
  publicThrottleRate: number;
  publicThrottleBurst: number;
  /** Refused API keys (ApiKeyRefused) in 5 minutes above which the alarm fires. */
  apiKeyRefusedAlarmThreshold: number;
  /** AWS/SNS SMSMonthToDateSpentUSD above which the SMS spend alarm fires. */
  smsMonthlySpendAlarmUsd: number;
  /** Percentage of codes sent that are approved, below which the approval-ratio alarm fires. */
  approvalRatioAlarmPercent: number;
  /** AWS Backup plan for the table: daily backups kept 35 days and monthly ones kept a year. */
  backup: boolean;
  /** ISO 3166 alpha-2 countries the WAF lets reach the client API; empty means every country. */
  wafAllowedCountries: readonly string[];
  /** WAF rate-based rules: requests per 5 minutes per IP, and per Authorization header value. */
  wafRateLimitPerIp: number;
  wafRateLimitPerApiKey: number;
  /**
   * CloudFront + WAF in front of the API (context `edgeProtection`, on for every stage but `dev`): on a
   * custom domain when one is given, else on CloudFront's own domain. Off: the execute-api URL, no WAF.
   */
  edge?: EdgeConfig;
  /** Private or reserved ranges provider, proxy and webhook connections may reach (a VPC endpoint, a proxy). */
  outboundAllowCidrs: string[];
  /** The public base URL of integrations' `hookUrl` (context `publicUrl`); else the edge domain or the API URL. */
  publicUrl?: string;
}

export interface EdgeConfig {
  /** The API's own host name; without it, clients call CloudFront's `<id>.cloudfront.net` name. */
  customDomain?: CustomDomainConfig;
  /**
   * The origin-verify secret's version CloudFront sends (`originVerifyVersionId`): pinned during a
   * rotation, since CloudFormation re-resolves a dynamic reference only when its text changes. Unset:
   * the current version at the deploy that created the distribution.
   */
  originVerifyVersionId?: string;
}

export interface CustomDomainConfig {
  /** The API's public host name, e.g. `api.example.com` (CloudFront and the API Gateway custom domain). */
  domainName: string;
  /** ACM certificate for `domainName` in us-east-1, for CloudFront. */
  certificateArn: string;
  /** ACM certificate for `domainName` in the stack's region, for the API Gateway custom domain. */
  apiCertificateArn: string;
}

const EDGE_KEYS = {
  domainName: 'edgeDomainName',
  certificateArn: 'edgeCertificateArn',
  apiCertificateArn: 'apiCertificateArn',
} as const;

/** The one stage without edge protection by default: development, called directly on execute-api. */
export const DEVELOPMENT_STAGE = 'dev';

/** The context keys this app reads; anything else in context is CDK's own. */
export type StackContext = Partial<
  Record<
    | keyof typeof DEFAULTS
    | 'deletionProtection'
    | 'terminationProtection'
    | 'edgeProtection'
    | 'alarmEmail'
    | 'outboundAllowCidrs'
    | 'originVerifyVersionId'
    | (typeof EDGE_KEYS)[keyof typeof EDGE_KEYS],
    unknown
  >
>;

const DEFAULTS = {
  stage: 'dev',
  consoleGatewayAllowed: false,
  testNumbersAllowed: false,
  removalPolicy: 'retain',
  logRetentionDays: 30,
  throttleRate: 50,
  throttleBurst: 100,
  // A busy tenant sends a few codes a minute; hundreds in 5 minutes looks like SMS pumping (toll fraud).
  codesSentAlarmThreshold: 500,
  providerFailureRateThreshold: 20,
  // An authentication audit trail: a year, long enough for an incident found months later.
  auditLogRetentionDays: 365,
  sendConcurrency: 10,
  sendThrottleRate: 10,
  sendThrottleBurst: 20,
  publicThrottleRate: 5,
  publicThrottleBurst: 10,
  apiKeyRefusedAlarmThreshold: 100,
  smsMonthlySpendAlarmUsd: 100,
  approvalRatioAlarmPercent: 50,
  backup: true,
  wafAllowedCountries: '',
  // Client apps call from a few servers: one IP carries many users, so the per-IP limit is generous.
  wafRateLimitPerIp: 3000,
  wafRateLimitPerApiKey: 6000,
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
  const auditLogRetentionDays = num(tryGetContext, 'auditLogRetentionDays', DEFAULTS.auditLogRetentionDays);
  if (!VALID_RETENTION_DAYS.has(auditLogRetentionDays)) {
    throw new Error(
      `context auditLogRetentionDays must be a CloudWatch Logs retention period; got ${auditLogRetentionDays}`,
    );
  }
  const int = (key: keyof typeof DEFAULTS, min: number) => {
    const value = num(tryGetContext, key, DEFAULTS[key] as number);
    if (!Number.isInteger(value) || value < min) {
      throw new Error(`context ${key} must be an integer >= ${min}, got ${value}`);
    }
    return value;
  };
  const sendThrottleRate = num(tryGetContext, 'sendThrottleRate', DEFAULTS.sendThrottleRate);
  const publicThrottleRate = num(tryGetContext, 'publicThrottleRate', DEFAULTS.publicThrottleRate);
  const sendThrottleBurst = int('sendThrottleBurst', 1);
  const publicThrottleBurst = int('publicThrottleBurst', 1);
  // Lower than the default route settings, or they would not be a tighter limit.
  for (const [key, rate, burst] of [
    ['sendThrottle', sendThrottleRate, sendThrottleBurst],
    ['publicThrottle', publicThrottleRate, publicThrottleBurst],
  ] as const) {
    if (!(rate > 0 && rate <= throttleRate && burst <= throttleBurst)) {
      throw new Error(`context ${key}Rate/Burst must be > 0 and at most throttleRate/throttleBurst`);
    }
  }
  const approvalRatioAlarmPercent = num(
    tryGetContext,
    'approvalRatioAlarmPercent',
    DEFAULTS.approvalRatioAlarmPercent,
  );
  if (!(approvalRatioAlarmPercent > 0 && approvalRatioAlarmPercent < 100)) {
    throw new Error(
      `context approvalRatioAlarmPercent must be above 0 and below 100, got ${approvalRatioAlarmPercent}`,
    );
  }
  const smsMonthlySpendAlarmUsd = num(
    tryGetContext,
    'smsMonthlySpendAlarmUsd',
    DEFAULTS.smsMonthlySpendAlarmUsd,
  );
  if (!(smsMonthlySpendAlarmUsd > 0)) throw new Error('context smsMonthlySpendAlarmUsd must be > 0');
  const countries = str(tryGetContext, 'wafAllowedCountries', DEFAULTS.wafAllowedCountries)
    .split(',')
    .map((c) => c.trim().toUpperCase())
    .filter((c) => c !== '');
  for (const c of countries) {
    if (!/^[A-Z]{2}$/.test(c))
      throw new Error(`context wafAllowedCountries: ${JSON.stringify(c)} is not an ISO country code`);
  }
  const edgeProtection = bool(tryGetContext, 'edgeProtection', stage !== DEVELOPMENT_STAGE);
  const edgeValues = Object.fromEntries(
    Object.entries(EDGE_KEYS).map(([field, key]) => [field, str(tryGetContext, key, '').trim()]),
  ) as Record<keyof CustomDomainConfig, string>;
  const edgeSet = Object.values(edgeValues).filter((v) => v !== '').length;
  if (edgeSet !== 0 && edgeSet !== Object.keys(EDGE_KEYS).length) {
    throw new Error(`context ${Object.values(EDGE_KEYS).join(', ')} are set together or not at all`);
  }
  if (edgeSet > 0 && !edgeProtection) {
    throw new Error('context edgeDomainName (a custom domain) needs edgeProtection: CloudFront serves it');
  }
  if (edgeSet > 0 && !/^(?=.{1,253}$)([a-z0-9-]+\.)+[a-z]{2,}$/.test(edgeValues.domainName)) {
    throw new Error(
      `context edgeDomainName must be a lower-case host name, got ${JSON.stringify(edgeValues.domainName)}`,
    );
  }
  if (edgeSet > 0 && !edgeValues.certificateArn.startsWith('arn:aws:acm:us-east-1:')) {
    throw new Error(
      'context edgeCertificateArn must be an ACM certificate in us-east-1 (CloudFront uses no other)',
    );
  }
  const originVerifyVersionId = str(tryGetContext, 'originVerifyVersionId', '').trim();
  if (originVerifyVersionId !== '' && !edgeProtection) {
    throw new Error('context originVerifyVersionId applies only with edge protection (edgeProtection)');
  }
  // Secrets Manager version ids are UUIDs; anything else would only fail at deploy.
  if (originVerifyVersionId !== '' && !/^[0-9a-f-]{32,64}$/i.test(originVerifyVersionId)) {
    throw new Error(
      `context originVerifyVersionId must be a Secrets Manager version id, got ${JSON.stringify(originVerifyVersionId)}`,
    );
  }
  return {
    stage,
    consoleGatewayAllowed: bool(tryGetContext, 'consoleGatewayAllowed', DEFAULTS.consoleGatewayAllowed),
    testNumbersAllowed: bool(tryGetContext, 'testNumbersAllowed', DEFAULTS.testNumbersAllowed),
    removalPolicy,
    deletionProtection: bool(tryGetContext, 'deletionProtection', removalPolicy === 'retain'),
    logRetention: logRetentionDays as RetentionDays,
    throttleRate,
    throttleBurst,
    ...(alarmEmail !== '' ? { alarmEmail } : {}),
    codesSentAlarmThreshold,
    providerFailureRateThreshold,
    terminationProtection: bool(tryGetContext, 'terminationProtection', removalPolicy === 'retain'),
    auditLogRetention: auditLogRetentionDays as RetentionDays,
    sendConcurrency: int('sendConcurrency', 0),
    sendThrottleRate,
    sendThrottleBurst,
    publicThrottleRate,
    publicThrottleBurst,
    apiKeyRefusedAlarmThreshold: int('apiKeyRefusedAlarmThreshold', 1),
    smsMonthlySpendAlarmUsd,
    approvalRatioAlarmPercent,
    backup: bool(tryGetContext, 'backup', DEFAULTS.backup),
    wafAllowedCountries: countries,
    // AWS WAF's smallest rate-based limit is 10 requests per evaluation window.
    wafRateLimitPerIp: int('wafRateLimitPerIp', 10),
    wafRateLimitPerApiKey: int('wafRateLimitPerApiKey', 10),
    ...(edgeProtection
      ? {
          edge: {
            ...(edgeSet > 0 ? { customDomain: edgeValues } : {}),
            ...(originVerifyVersionId !== '' ? { originVerifyVersionId } : {}),
          },
        }
      : {}),
    ...publicUrlOf(str(tryGetContext, 'publicUrl', '').trim()),
    outboundAllowCidrs: cidrs(tryGetContext, 'outboundAllowCidrs'),
  };
}

/** A list in cdk.json, or comma-separated with `-c outboundAllowCidrs=10.1.0.0/16,10.2.0.0/16`. */
function cidrs(get: ContextReader, key: string): string[] {
  const value = get(key);
  if (value === undefined) return [];
  const text = Array.isArray(value) && value.every((v) => typeof v === 'string') ? value.join(',') : value;
  if (typeof text !== 'string')
    throw new Error(`context ${key} must be a list of CIDRs, got ${JSON.stringify(value)}`);
  try {
    return parseCidrs(text);
  } catch (error) {
    throw new Error(`context ${key}: ${(error as Error).message}`, { cause: error });
  }
}

/**
 * `retain` is CloudFormation's RetainExceptOnCreate: kept on update and stack deletion, but deleted
 * when the stack's first create fails and rolls back, so that a retry does not fail on named log
 * groups or the named pepper secret that the failed attempt left behind ("already exists").
 */
export function cdkRemovalPolicy(config: StackConfig): RemovalPolicy {
  return config.removalPolicy === 'destroy'
    ? RemovalPolicy.DESTROY
    : RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE;
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

function publicUrlOf(value: string): { publicUrl?: string } {
  if (value === '') return {};
  if (!/^https:\/\/[^/?#]+$/.test(value.replace(/\/+$/, ''))) {
    throw new Error(`context publicUrl must be an https origin, got ${JSON.stringify(value)}`);
  }
  return { publicUrl: value.replace(/\/+$/, '') };
}
