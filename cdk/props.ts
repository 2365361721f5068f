import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { z } from 'zod';
import { parseCidrs } from '../shared/adapters/net/outbound-guard.ts';

/** The one stage without edge protection by default: development, called directly on execute-api. */
export const DEVELOPMENT_STAGE = 'dev';

/** CloudWatch Logs accepts only these retention periods (RetentionDays.INFINITE is deliberately not offered). */
const VALID_RETENTION_DAYS: readonly number[] = Object.values(RetentionDays)
  .filter((v): v is RetentionDays => typeof v === 'number' && v !== RetentionDays.INFINITE)
  .sort((a, b) => a - b);

/**
 * Deliberately loose (one @, no spaces, a dot in the domain): it catches typos such as a missing @ or
 * a trailing comma; SNS itself confirms the address with a subscription e-mail.
 */
const EMAIL = /^[^\s@,;]+@[^\s@,;]+\.[^\s@,;.]+$/;

const retentionDays = (fallback: number) =>
  z
    .number()
    .refine((d) => VALID_RETENTION_DAYS.includes(d), {
      message: `must be a CloudWatch Logs retention period: one of ${VALID_RETENTION_DAYS.join(', ')}`,
    })
    .default(fallback);
const integer = (min: number) => z.number().int().min(min);
/** A percentage a rate can exceed and stay under: at 0 every event would alarm, at 100 none could. */
const percent = () => z.number().gt(0).lt(100);
const text = () => z.string().trim().min(1);

/**
 * Every setting of the service, as `new SmsMfa(scope, id, props)` takes it and as the project's own app
 * reads it from CDK context (`cdk.json` or `-c key=value`, same names). The description of each field is
 * the documentation: docs/cdk-props.md is generated from it (cdk/props-doc.ts).
 */
export const smsMfaPropsSchema = z
  .strictObject({
    stage: z
      .string()
      .regex(/^[a-z][a-z0-9-]{0,19}$/, 'must match ^[a-z][a-z0-9-]{0,19}$')
      .default(DEVELOPMENT_STAGE)
      .meta({
        description:
          'Names the stacks (`SmsMfa-<stage>`, `SmsMfaEdge-<stage>`), functions, log groups and the secret prefix; lower case because it ends up in all of them. Every stage but `dev` gets edge protection by default.',
      }),
    alarmEmail: z
      .string()
      .trim()
      .regex(EMAIL, 'must be one e-mail address')
      .optional()
      .meta({ description: 'E-mail address subscribed to the alarm topic; none when unset.' }),
    throttleRate: z.number().positive().default(50).meta({
      description:
        'Default throttling of **each** route, requests per second (HTTP API route settings; not a budget shared by the stage).',
    }),
    throttleBurst: integer(1).default(100).meta({ description: 'Burst of the default route throttling.' }),
    sendThrottleRate: z.number().positive().default(10).meta({
      description:
        'Tighter throttling of the three `/v1` send routes, gateway test connection and provider receipts; at most `throttleRate`.',
    }),
    sendThrottleBurst: integer(1)
      .default(20)
      .meta({ description: 'Burst of the send routes; at most `throttleBurst`.' }),
    publicThrottleRate: z.number().positive().default(5).meta({
      description:
        'Tighter throttling of the unauthenticated routes (`/health`, `/openapi.json`); at most `throttleRate`.',
    }),
    publicThrottleBurst: integer(1)
      .default(10)
      .meta({ description: 'Burst of the unauthenticated routes; at most `throttleBurst`.' }),
    publicUrl: z
      .string()
      .trim()
      .transform((url) => url.replace(/\/+$/, ''))
      .pipe(z.string().regex(/^https:\/\/[^/?#]+$/, 'must be an https origin'))
      .optional()
      .meta({
        description:
          "Public origin that integrations' `hookUrl` starts with; else the edge URL, else the API URL.",
      }),
    sendConcurrency: integer(0).default(10).meta({
      description:
        'Reserved concurrency of each function that sends SMS: the spend cap. **0 is the kill switch**: every send is refused until it is raised.',
    }),
    logRetentionDays: retentionDays(30).meta({
      description: "Retention of every function's log group, in days.",
    }),
    auditLogRetentionDays: retentionDays(365).meta({
      description:
        "Retention of the API access log, the authorizer's log and the WAF log (the authentication audit trail), in days (one of CloudWatch Logs' retention periods).",
    }),
    consoleGatewayAllowed: z.boolean().default(false).meta({
      description: 'Allow the `console` gateway type (demos and test stages only: it logs codes).',
    }),
    deliveryFailoverAllowed: z.boolean().default(false).meta({
      description:
        'Allow `routing.deliveryDeadlineSeconds` on identity stores (delivery failover: a new code through the next gateway when none is delivered in time).',
    }),
    testNumbersAllowed: z.boolean().default(false).meta({
      description:
        'Allow `testNumbers` on identity stores (fictional numbers with a fixed code; test stages, app store review).',
    }),
    adaptiveRoutingAllowed: z.boolean().default(true).meta({
      description:
        'Allow `routing.mode: adaptive` on identity stores (start each send at the gateway with the best measured conversion rate); off: such a write is 400 and stores that have it route in order.',
    }),
    voiceAllowed: z.boolean().default(false).meta({
      description:
        'Allow identity stores to turn on voice calls (`voice.enabled`); calls are the costliest target of toll fraud, so off by default.',
    }),
    removalPolicy: z.enum(['retain', 'destroy']).default('retain').meta({
      description:
        '`retain` keeps the table, logs, secrets and keys on stack deletion (CloudFormation RetainExceptOnCreate); `destroy` deletes them (test stages).',
    }),
    deletionProtection: z.boolean().optional().meta({
      description: 'DynamoDB deletion protection.',
      defaultText: 'on unless `removalPolicy` is `destroy`',
    }),
    terminationProtection: z.boolean().optional().meta({
      description: 'CloudFormation termination protection of both stacks.',
      defaultText: 'on unless `removalPolicy` is `destroy`',
    }),
    backup: z.boolean().default(true).meta({
      description: 'AWS Backup plan for the table: daily backups kept 35 days, monthly ones kept a year.',
    }),
    codesSentAlarmThreshold: integer(1).default(500).meta({
      description: 'Codes sent per 5 minutes above which the send-spike (SMS pumping) alarm fires.',
    }),
    providerFailureRateThreshold: percent().default(20).meta({
      description: 'Percent of failed provider attempts per 5 minutes above which the alarm fires.',
    }),
    apiKeyRefusedAlarmThreshold: integer(1)
      .default(100)
      .meta({ description: 'Refused API keys per 5 minutes above which the alarm fires.' }),
    smsMonthlySpendAlarmUsd: z
      .number()
      .positive()
      .default(100)
      .meta({ description: '`AWS/SNS SMSMonthToDateSpentUSD` above which the SMS spend alarm fires.' }),
    approvalRatioAlarmPercent: percent().default(50).meta({
      description: 'Alarm when fewer than this percent of codes sent are approved (with at least 20 sent).',
    }),
    edgeProtection: z.boolean().optional().meta({
      description:
        "CloudFront + the WAF web ACL in front of the API (docs/deploy.md): on a custom domain when `edgeDomainName` is set, else on CloudFront's own name.",
      defaultText: 'on unless `stage` is `dev`',
    }),
    edgeDomainName: text()
      .regex(/^(?=.{1,253}$)([a-z0-9-]+\.)+[a-z]{2,}$/, 'must be a lower-case host name')
      .optional()
      .meta({ description: 'Custom domain of the API, e.g. `api.example.com` (with the two certificates).' }),
    edgeCertificateArn: text()
      .startsWith(
        'arn:aws:acm:us-east-1:',
        'must be an ACM certificate in us-east-1 (CloudFront uses no other)',
      )
      .optional()
      .meta({ description: 'ACM certificate for `edgeDomainName` in us-east-1, for CloudFront.' }),
    apiCertificateArn: text().optional().meta({
      description:
        "ACM certificate for `edgeDomainName` in the stack's region, for the API Gateway custom domain.",
    }),
    originVerifyVersionId: text()
      .regex(/^[0-9a-f-]{32,64}$/i, 'must be a Secrets Manager version id')
      .optional()
      .meta({
        description:
          'With edge protection: the origin-verify secret version CloudFront sends (set only to rotate it; docs/operations.md).',
      }),
    edgeWebAclArn: text().optional().meta({
      description:
        "With edge protection, for `SmsMfa` used directly: the CLOUDFRONT-scope web ACL (us-east-1), e.g. `new SmsMfaEdgeStack(...).webAcl.webAcl.attrArn` (the host stack then needs a region and `crossRegionReferences`). The project's app passes its edge stack's.",
    }),
    wafRateLimitPerIp: integer(10).default(3000).meta({
      description:
        "WAF rate-based rule: requests per 5 minutes from one client IP (AWS WAF's minimum is 10).",
    }),
    wafRateLimitPerApiKey: integer(10).default(6000).meta({
      description: 'WAF rate-based rule: requests per 5 minutes with one `Authorization` value on `/v1/`.',
    }),
    wafAllowedCountries: z
      .array(
        z
          .string()
          .trim()
          .toUpperCase()
          .regex(/^[A-Z]{2}$/, 'must be an ISO 3166 alpha-2 country code'),
      )
      .default([])
      .meta({
        description:
          "ISO codes the WAF lets through, judged on the caller's IP (the client app's server, not the phone); empty: every country. Context: comma-separated.",
      }),
    outboundAllowCidrs: z
      .array(z.string())
      .default([])
      .transform((cidrs, ctx) => {
        try {
          return parseCidrs(cidrs.join(','));
        } catch (error) {
          ctx.addIssue({ code: 'custom', message: (error as Error).message });
          return z.NEVER;
        }
      })
      .meta({
        description:
          'CIDRs provider, proxy and webhook connections may reach although private (a VPC endpoint, a corporate proxy). Context: a list or comma-separated.',
      }),
  })
  .superRefine((p, ctx) => {
    const issue = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message });
    for (const [prefix, rate, burst] of [
      ['sendThrottle', p.sendThrottleRate, p.sendThrottleBurst],
      ['publicThrottle', p.publicThrottleRate, p.publicThrottleBurst],
    ] as const) {
      // Lower than the default route settings, or they would not be a tighter limit.
      if (rate > p.throttleRate) issue(`${prefix}Rate`, 'must be at most throttleRate');
      if (burst > p.throttleBurst) issue(`${prefix}Burst`, 'must be at most throttleBurst');
    }
    const domainKeys = ['edgeDomainName', 'edgeCertificateArn', 'apiCertificateArn'] as const;
    const domainSet = domainKeys.filter((k) => p[k] !== undefined).length;
    if (domainSet !== 0 && domainSet !== domainKeys.length) {
      issue('edgeDomainName', `${domainKeys.join(', ')} are set together or not at all`);
    }
    const edge = p.edgeProtection ?? p.stage !== DEVELOPMENT_STAGE;
    if (!edge) {
      if (domainSet > 0)
        issue('edgeDomainName', 'a custom domain needs edgeProtection: CloudFront serves it');
      for (const key of ['originVerifyVersionId', 'edgeWebAclArn'] as const) {
        if (p[key] !== undefined) issue(key, 'applies only with edge protection (edgeProtection)');
      }
    }
  });

/** What a caller writes: every field optional. */
export type SmsMfaProps = z.input<typeof smsMfaPropsSchema>;
/** After validation and defaults. */
export type ParsedSmsMfaProps = z.output<typeof smsMfaPropsSchema>;

/** Validates `props`; a failure names each offending prop (`SmsMfa props: stage: must match ...`). */
export function parseSmsMfaProps(props: unknown): ParsedSmsMfaProps {
  const result = smsMfaPropsSchema.safeParse(props ?? {});
  if (result.success) return result.data;
  const problems = result.error.issues.map((i) => {
    const path = i.path.length > 0 ? i.path.join('.') : 'props';
    // zod names unknown keys in the message, not the path.
    return `${path}: ${i.message}`;
  });
  throw new Error(`SmsMfa props: ${problems.join('; ')}`);
}
