import { RemovalPolicy } from 'aws-cdk-lib';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { z } from 'zod';
import {
  DEVELOPMENT_STAGE,
  type ParsedSmsMfaProps,
  parseSmsMfaProps,
  type SmsMfaProps,
  smsMfaPropsSchema,
} from './props.ts';

export { DEVELOPMENT_STAGE };

/**
 * Deployment settings as the constructs use them: the validated props (props.ts) with their defaults
 * worked out. Built from `SmsMfaProps` by `toStackConfig`, or from CDK context by `readStackConfig`.
 */
export interface StackConfig {
  /** Names the stack (`SmsMfa-<stage>`), functions, log groups and the secret name prefix. */
  stage: string;
  /** Whether the `console` SMS gateway type (writes codes to logs; for demos) may be configured. */
  consoleGatewayAllowed: boolean;
  /** Whether identity stores may set a delivery deadline (delivery failover, issue 26). */
  deliveryFailoverAllowed: boolean;
  /** Whether identity stores may list test numbers (fictional numbers with a fixed code; test stages). */
  testNumbersAllowed: boolean;
  /** Whether identity stores may route adaptively (by measured conversion); default on. */
  adaptiveRoutingAllowed: boolean;
  /** Whether identity stores may turn on voice calls (toll fraud: off by default). */
  voiceAllowed: boolean;
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

/** The context keys this app reads (the props' names); anything else in context is CDK's own. */
export type StackContext = Partial<Record<keyof SmsMfaProps, unknown>>;

type ContextReader = (key: string) => unknown;

/** The props with their defaults worked out into what the constructs use. */
export function toStackConfig(p: ParsedSmsMfaProps): StackConfig {
  const customDomain =
    p.edgeDomainName && p.edgeCertificateArn && p.apiCertificateArn
      ? {
          domainName: p.edgeDomainName,
          certificateArn: p.edgeCertificateArn,
          apiCertificateArn: p.apiCertificateArn,
        }
      : undefined;
  const edge = p.edgeProtection ?? p.stage !== DEVELOPMENT_STAGE;
  return {
    stage: p.stage,
    consoleGatewayAllowed: p.consoleGatewayAllowed,
    testNumbersAllowed: p.testNumbersAllowed,
    adaptiveRoutingAllowed: p.adaptiveRoutingAllowed,
    deliveryFailoverAllowed: p.deliveryFailoverAllowed,
    voiceAllowed: p.voiceAllowed,
    removalPolicy: p.removalPolicy,
    deletionProtection: p.deletionProtection ?? p.removalPolicy === 'retain',
    logRetention: p.logRetentionDays as RetentionDays,
    throttleRate: p.throttleRate,
    throttleBurst: p.throttleBurst,
    ...(p.alarmEmail !== undefined ? { alarmEmail: p.alarmEmail } : {}),
    codesSentAlarmThreshold: p.codesSentAlarmThreshold,
    providerFailureRateThreshold: p.providerFailureRateThreshold,
    terminationProtection: p.terminationProtection ?? p.removalPolicy === 'retain',
    auditLogRetention: p.auditLogRetentionDays as RetentionDays,
    sendConcurrency: p.sendConcurrency,
    sendThrottleRate: p.sendThrottleRate,
    sendThrottleBurst: p.sendThrottleBurst,
    publicThrottleRate: p.publicThrottleRate,
    publicThrottleBurst: p.publicThrottleBurst,
    apiKeyRefusedAlarmThreshold: p.apiKeyRefusedAlarmThreshold,
    smsMonthlySpendAlarmUsd: p.smsMonthlySpendAlarmUsd,
    approvalRatioAlarmPercent: p.approvalRatioAlarmPercent,
    backup: p.backup,
    wafAllowedCountries: p.wafAllowedCountries,
    wafRateLimitPerIp: p.wafRateLimitPerIp,
    wafRateLimitPerApiKey: p.wafRateLimitPerApiKey,
    ...(edge
      ? {
          edge: {
            ...(customDomain ? { customDomain } : {}),
            ...(p.originVerifyVersionId !== undefined
              ? { originVerifyVersionId: p.originVerifyVersionId }
              : {}),
          },
        }
      : {}),
    ...(p.publicUrl !== undefined ? { publicUrl: p.publicUrl } : {}),
    outboundAllowCidrs: p.outboundAllowCidrs,
  };
}

/**
 * The props as CDK context gives them: `-c key=value` values arrive as strings, cdk.json and tests give
 * JSON types; a string is turned into the number, boolean or list its prop takes when it reads as one
 * (otherwise the schema refuses it, naming the key). An empty string is an unset value
 * (`-c alarmEmail=`). Only the props' own names are read; `edgeWebAclArn` comes from the edge stack.
 */
export function propsFromContext(get: ContextReader): SmsMfaProps {
  const props: Record<string, unknown> = {};
  for (const [key, schema] of Object.entries(smsMfaPropsSchema.shape)) {
    if (key === 'edgeWebAclArn') continue;
    const value = get(key);
    if (value === undefined) continue;
    const kind = kindOf(schema);
    if (typeof value !== 'string') {
      props[key] = value;
    } else if (value.trim() === '') {
      if (kind === 'array') props[key] = [];
    } else if (kind === 'number') {
      props[key] = Number.isFinite(Number(value)) ? Number(value) : value;
    } else if (kind === 'boolean') {
      props[key] = value === 'true' ? true : value === 'false' ? false : value;
    } else if (kind === 'array') {
      props[key] = value
        .split(',')
        .map((v) => v.trim())
        .filter((v) => v !== '');
    } else {
      props[key] = value;
    }
  }
  return props as SmsMfaProps;
}

/** Deployment settings from CDK context, through the same schema as the construct's props. */
export function readStackConfig(get: ContextReader): StackConfig {
  return toStackConfig(parseSmsMfaProps(propsFromContext(get)));
}

/** The JSON type a prop takes under its default, optional and transform wrappers. */
export function kindOf(schema: z.ZodType): string {
  const def = schema.def as { type: string; innerType?: z.ZodType; in?: z.ZodType };
  if (def.innerType) return kindOf(def.innerType);
  if (def.type === 'pipe' && def.in) return kindOf(def.in);
  return def.type;
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
