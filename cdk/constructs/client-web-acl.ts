import { ArnFormat, type RemovalPolicy, Stack } from 'aws-cdk-lib';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { CfnLoggingConfiguration, CfnWebACL } from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';

export interface ClientWebAclProps {
  stage: string;
  /** Requests per 5 minutes from one IP address before it is blocked for the rest of the window. */
  rateLimitPerIp: number;
  /** Requests per 5 minutes carrying one Authorization header value (one API key). */
  rateLimitPerApiKey: number;
  /** ISO alpha-2 countries callers may connect from; empty: every country. */
  allowedCountries: readonly string[];
  logRetention: RetentionDays;
  removalPolicy: RemovalPolicy;
}

const visibility = (metricName: string): CfnWebACL.VisibilityConfigProperty => ({
  cloudWatchMetricsEnabled: true,
  metricName,
  sampledRequestsEnabled: true,
});

/**
 * The AWS WAF web ACL in front of the API (CloudFront scope, so it lives in us-east-1): AWS's managed
 * IP reputation and anonymous IP lists, a rate limit per IP address, a rate limit per Authorization
 * header value (one API key), and an optional country allow-list. Every request is logged to a log group
 * (WAF requires the `aws-waf-logs-` prefix) with the client's IP address, which the API's own access log
 * cannot show behind CloudFront.
 */
export class ClientWebAcl extends Construct {
  readonly webAcl: CfnWebACL;
  readonly logGroup: LogGroup;

  constructor(scope: Construct, id: string, props: ClientWebAclProps) {
    super(scope, id);
    const name = `sms-mfa-${props.stage}`;
    const rules: CfnWebACL.RuleProperty[] = [
      {
        name: 'aws-ip-reputation',
        priority: 0,
        overrideAction: { none: {} },
        statement: {
          managedRuleGroupStatement: { vendorName: 'AWS', name: 'AWSManagedRulesAmazonIpReputationList' },
        },
        visibilityConfig: visibility(`${name}-ip-reputation`),
      },
      {
        name: 'aws-anonymous-ip',
        priority: 1,
        overrideAction: { none: {} },
        statement: {
          managedRuleGroupStatement: {
            vendorName: 'AWS',
            name: 'AWSManagedRulesAnonymousIpList',
            // Client apps call from their servers, usually in a cloud: blocking hosting providers would
            // block the customers. Counted, so the metric still shows them; VPNs, Tor and proxies are blocked.
            ruleActionOverrides: [{ name: 'HostingProviderIPList', actionToUse: { count: {} } }],
          },
        },
        visibilityConfig: visibility(`${name}-anonymous-ip`),
      },
      {
        name: 'rate-per-ip',
        priority: 2,
        action: { block: {} },
        statement: { rateBasedStatement: { limit: props.rateLimitPerIp, aggregateKeyType: 'IP' } },
        visibilityConfig: visibility(`${name}-rate-per-ip`),
      },
      {
        name: 'rate-per-api-key',
        priority: 3,
        action: { block: {} },
        statement: {
          rateBasedStatement: {
            limit: props.rateLimitPerApiKey,
            aggregateKeyType: 'CUSTOM_KEYS',
            customKeys: [
              { header: { name: 'authorization', textTransformations: [{ priority: 0, type: 'NONE' }] } },
            ],
            // Only the client API's bearer keys; admin SigV4 signatures differ on every request.
            scopeDownStatement: {
              byteMatchStatement: {
                fieldToMatch: { uriPath: {} },
                positionalConstraint: 'STARTS_WITH',
                searchString: '/v1/',
                textTransformations: [{ priority: 0, type: 'NONE' }],
              },
            },
          },
        },
        visibilityConfig: visibility(`${name}-rate-per-api-key`),
      },
    ];
    if (props.allowedCountries.length > 0) {
      rules.push({
        name: 'allowed-countries',
        priority: 4,
        action: { block: {} },
        statement: {
          notStatement: { statement: { geoMatchStatement: { countryCodes: [...props.allowedCountries] } } },
        },
        visibilityConfig: visibility(`${name}-allowed-countries`),
      });
    }
    this.webAcl = new CfnWebACL(this, 'WebAcl', {
      name,
      description: `sms-mfa ${props.stage}: edge protection of the API`,
      scope: 'CLOUDFRONT',
      defaultAction: { allow: {} },
      rules,
      visibilityConfig: visibility(name),
    });

    this.logGroup = new LogGroup(this, 'Logs', {
      logGroupName: `aws-waf-logs-${name}`,
      retention: props.logRetention,
      removalPolicy: props.removalPolicy,
    });
    new CfnLoggingConfiguration(this, 'Logging', {
      resourceArn: this.webAcl.attrArn,
      // WAF wants the log group ARN without the `:*` suffix that LogGroup.logGroupArn carries.
      logDestinationConfigs: [
        Stack.of(this).formatArn({
          service: 'logs',
          resource: 'log-group',
          resourceName: this.logGroup.logGroupName,
          arnFormat: ArnFormat.COLON_RESOURCE_NAME,
        }),
      ],
      // The Authorization header carries API keys and SigV4 signatures: never in the WAF log.
      redactedFields: [{ singleHeader: { Name: 'authorization' } }],
    });
  }
}
