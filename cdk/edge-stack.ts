import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { cdkRemovalPolicy, type StackConfig } from './config.ts';
import { ClientWebAcl } from './constructs/client-web-acl.ts';

export interface SmsMfaEdgeStackProps extends StackProps {
  config: StackConfig;
}

/**
 * What CloudFront needs in us-east-1: the WAF web ACL (a CloudFront-scope web ACL can live nowhere
 * else). Deployed before the main stack by the same `cdk deploy --all`; the main stack's distribution
 * reads the ACL's ARN through a cross-region reference (`crossRegionReferences` on both stacks).
 */
export class SmsMfaEdgeStack extends Stack {
  readonly webAcl: ClientWebAcl;

  constructor(scope: Construct, id: string, props: SmsMfaEdgeStackProps) {
    super(scope, id, { ...props, env: { ...props.env, region: 'us-east-1' } });
    const { config } = props;
    this.webAcl = new ClientWebAcl(this, 'Waf', {
      stage: config.stage,
      rateLimitPerIp: config.wafRateLimitPerIp,
      rateLimitPerApiKey: config.wafRateLimitPerApiKey,
      allowedCountries: config.wafAllowedCountries,
      logRetention: config.auditLogRetention,
      removalPolicy: cdkRemovalPolicy(config),
    });
    new CfnOutput(this, 'WebAclArn', {
      value: this.webAcl.webAcl.attrArn,
      description: 'The web ACL of the CloudFront distribution in front of the API',
    });
  }
}
