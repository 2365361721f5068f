import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, type BuiltApp } from '../../cdk/app.ts';
import { apiKeyAuthorizer, routes } from '../../shared/routes.ts';
import { acknowledgements, describeFindings, rawFindings, unacknowledgedFindings } from './nag-helpers.ts';
import { withNestedStacks } from './nested-resources.ts';

type Json = Record<string, unknown>;

const EDGE = {
  edgeDomainName: 'api.example.com',
  edgeCertificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/edge',
  apiCertificateArn: 'arn:aws:acm:eu-west-1:123456789012:certificate/api',
};
/** Edge protection needs the main stack's region: the web ACL is a cross-region reference from us-east-1. */
const ENV = { env: { region: 'eu-west-1' } };
/** Templates only: no esbuild run for the functions. */
const NO_BUNDLING = { 'aws:cdk:bundling-stacks': [] };

/** The distribution's WebACLId: the edge stack's ACL ARN, read by CDK's cross-region reference reader. */
function expectWebAclFromEdgeStack(webAclId: unknown) {
  expect(webAclId).toMatchObject({
    'Fn::GetAtt': [expect.stringMatching(/^ExportsReader/), expect.any(String)],
  });
  const [, exportName] = (webAclId as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'];
  expect(exportName).toMatch(/^\/cdk\/exports\/SmsMfa-[a-z0-9-]+\/SmsMfaEdge.*WafWebAcl.*Arn/);
}

/** CloudFront + WAF on a custom domain: the app with the edge context, on a few routes (quick to bundle). */
describe('edge protection on a custom domain (CloudFront + WAF)', { timeout: 600_000 }, () => {
  let outdir: string;
  let built: BuiltApp;
  let main: Template;
  let edge: Template;

  beforeAll(() => {
    outdir = mkdtempSync(path.join(tmpdir(), 'sms-mfa-edge-'));
    built = buildApp(
      { stage: 'edge', ...EDGE, wafAllowedCountries: 'GB,IE' },
      {
        ...ENV,
        outdir,
        stackProps: { routes: routes.filter((r) => ['health', 'gateways-list', 'users-mfa'].includes(r.id)) },
      },
    );
    built.app.synth();
    main = Template.fromStack(built.stack);
    edge = Template.fromStack(built.edgeStack!);
  }, 600_000);

  afterAll(() => {
    if (outdir) rmSync(outdir, { recursive: true, force: true });
  });

  it('keeps cdk-nag clean on both stacks, acknowledging only findings that exist', () => {
    expect(describeFindings(unacknowledgedFindings(built.app))).toEqual([]);
    const raw = rawFindings(built.app);
    const edgeAcks = acknowledgements(built.app).filter(
      (a) => a.path.includes('/Edge/') || a.path.includes('/OriginVerify/'),
    );
    expect(edgeAcks.map((a) => a.id).sort()).toEqual([
      'AwsSolutions-CFR1',
      'AwsSolutions-CFR3',
      'AwsSolutions-SMG4',
    ]);
    for (const ack of edgeAcks) {
      expect(
        raw.some((f) => f.id === ack.id && f.path.startsWith(ack.path)),
        ack.id,
      ).toBe(true);
    }
  });

  it('puts the web ACL in us-east-1 with CloudFront scope and the issue-15 rules', () => {
    expect(built.edgeStack!.region).toBe('us-east-1');
    const [acl] = Object.values(edge.findResources('AWS::WAFv2::WebACL')) as { Properties: Json }[];
    expect(acl!.Properties).toMatchObject({ Scope: 'CLOUDFRONT', DefaultAction: { Allow: {} } });
    const rules = acl!.Properties.Rules as Json[];
    const byName = Object.fromEntries(rules.map((r) => [r.Name, r]));
    expect(Object.keys(byName)).toEqual([
      'aws-ip-reputation',
      'aws-anonymous-ip',
      'rate-per-ip',
      'rate-per-api-key',
      'allowed-countries',
    ]);
    expect(JSON.stringify(byName['aws-ip-reputation'])).toContain('AWSManagedRulesAmazonIpReputationList');
    // Client apps run on hosting providers: that sub-rule only counts.
    expect(byName['aws-anonymous-ip']).toMatchObject({
      Statement: {
        ManagedRuleGroupStatement: {
          Name: 'AWSManagedRulesAnonymousIpList',
          RuleActionOverrides: [{ Name: 'HostingProviderIPList', ActionToUse: { Count: {} } }],
        },
      },
    });
    expect(byName['rate-per-ip']).toMatchObject({
      Action: { Block: {} },
      Statement: { RateBasedStatement: { Limit: 3000, AggregateKeyType: 'IP' } },
    });
    expect(byName['rate-per-api-key']).toMatchObject({
      Action: { Block: {} },
      Statement: {
        RateBasedStatement: {
          Limit: 6000,
          AggregateKeyType: 'CUSTOM_KEYS',
          CustomKeys: [{ Header: { Name: 'authorization' } }],
        },
      },
    });
    expect(byName['allowed-countries']).toMatchObject({
      Action: { Block: {} },
      Statement: { NotStatement: { Statement: { GeoMatchStatement: { CountryCodes: ['GB', 'IE'] } } } },
    });
  });

  it('logs every WAF request without the Authorization header', () => {
    edge.hasResourceProperties('AWS::WAFv2::LoggingConfiguration', {
      RedactedFields: [{ SingleHeader: { Name: 'authorization' } }],
    });
    edge.hasResourceProperties('AWS::Logs::LogGroup', { LogGroupName: 'aws-waf-logs-sms-mfa-edge' });
  });

  it('leaves out the geo rule when no countries are configured', () => {
    const plain = buildApp(
      { stage: 'edge2', ...NO_BUNDLING },
      { ...ENV, stackProps: { routes: routes.filter((r) => r.id === 'health') } },
    );
    const [acl] = Object.values(Template.fromStack(plain.edgeStack!).findResources('AWS::WAFv2::WebACL')) as {
      Properties: { Rules: Json[] };
    }[];
    expect(acl!.Properties.Rules.map((r) => r.Name)).not.toContain('allowed-countries');
  });

  it('serves the API only through CloudFront with the web ACL, forwarding Host for SigV4', () => {
    main.hasResourceProperties('AWS::ApiGatewayV2::Api', { DisableExecuteApiEndpoint: true });
    main.hasResourceProperties('AWS::ApiGatewayV2::DomainName', { DomainName: 'api.example.com' });
    main.resourceCountIs('AWS::ApiGatewayV2::ApiMapping', 1);
    const [distribution] = Object.values(main.findResources('AWS::CloudFront::Distribution')) as {
      Properties: { DistributionConfig: Json };
    }[];
    const config = distribution!.Properties.DistributionConfig;
    expect(config).toMatchObject({
      Aliases: ['api.example.com'],
      ViewerCertificate: {
        AcmCertificateArn: EDGE.edgeCertificateArn,
        MinimumProtocolVersion: 'TLSv1.2_2021',
      },
      DefaultCacheBehavior: {
        // Managed policies: CachingDisabled and AllViewer (every header, Host included).
        CachePolicyId: '4135ea2d-6df8-44a3-9df3-4b5a84be39ad',
        OriginRequestPolicyId: '216adef6-5c7f-47e4-b989-5492eafa07d3',
        ViewerProtocolPolicy: 'https-only',
        AllowedMethods: ['GET', 'HEAD', 'OPTIONS', 'PUT', 'PATCH', 'POST', 'DELETE'],
      },
    });
    expectWebAclFromEdgeStack(config.WebACLId);
    expect(JSON.stringify(config.Origins)).toContain('"OriginSSLProtocols":["TLSv1.2"]');
    main.hasOutput('ApiUrl', { Value: 'https://api.example.com/' });
  });

  describe('origin verify: the WAF cannot be bypassed on /v1', () => {
    type Statement = { Effect: string; Action: string | string[]; Resource: unknown; Condition?: unknown };
    const resources = () => main.toJSON().Resources as Record<string, { Type: string; Properties: Json }>;
    const ofType = (type: string) => Object.entries(resources()).filter(([, r]) => r.Type === type);
    const secretId = () => {
      const found = ofType('AWS::SecretsManager::Secret').filter(
        ([, r]) => r.Properties.Name === 'sms-mfa/edge/origin-verify',
      );
      expect(found).toHaveLength(1);
      return found[0]![0];
    };
    const secretsKeyId = () => ofType('AWS::KMS::Key').find(([id]) => id.includes('SecretsKey'))![0];
    const authorizerFunction = () =>
      ofType('AWS::Lambda::Function').find(
        ([, f]) => f.Properties.FunctionName === `sms-mfa-edge-${apiKeyAuthorizer.id}`,
      )!;

    it('generates the secret under the stage prefix, encrypted with the secrets key', () => {
      const [, secret] = ofType('AWS::SecretsManager::Secret').find(([id]) => id === secretId())!;
      expect(secret.Properties).toMatchObject({
        KmsKeyId: { 'Fn::GetAtt': [secretsKeyId(), 'Arn'] },
        GenerateSecretString: { GenerateStringKey: 'value', PasswordLength: 64, SecretStringTemplate: '{}' },
      });
    });

    it("adds the secret's value to every origin request as x-origin-verify (a dynamic reference)", () => {
      const [distribution] = Object.values(main.findResources('AWS::CloudFront::Distribution')) as {
        Properties: { DistributionConfig: { Origins: Json[] } };
      }[];
      const origins = distribution!.Properties.DistributionConfig.Origins;
      expect(origins).toHaveLength(1);
      expect(origins[0]!.OriginCustomHeaders).toEqual([
        {
          HeaderName: 'x-origin-verify',
          HeaderValue: {
            'Fn::Join': ['', ['{{resolve:secretsmanager:', { Ref: secretId() }, ':SecretString:value::}}']],
          },
        },
      ]);
    });

    it('pins the version a rotation names with originVerifyVersionId', () => {
      const versionId = '0f2a7f1c-5d7e-4c65-9b1d-3c5e2f8a9b10';
      const pinned = buildApp(
        { stage: 'edge3', ...EDGE, originVerifyVersionId: versionId, ...NO_BUNDLING },
        { ...ENV, stackProps: { routes: routes.filter((r) => r.id === 'health') } },
      );
      const text = JSON.stringify(
        Template.fromStack(pinned.stack).findResources('AWS::CloudFront::Distribution'),
      );
      expect(text).toContain(`:SecretString:value::${versionId}}}`);
      expect(() => buildApp({ stage: 'dev', originVerifyVersionId: versionId })).toThrow(/edge protection/);
    });

    it('makes the header an identity source of the API key authorizer (its cache key too)', () => {
      main.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
        AuthorizerType: 'REQUEST',
        IdentitySource: ['$request.header.Authorization', '$request.header.x-origin-verify'],
        AuthorizerResultTtlInSeconds: 30,
      });
    });

    it('tells the authorizer, and only the authorizer, to require the header', () => {
      const [, authorizer] = authorizerFunction();
      expect((authorizer.Properties.Environment as { Variables: Json }).Variables).toMatchObject({
        ORIGIN_VERIFY_REQUIRED: 'true',
      });
      for (const [, fn] of ofType('AWS::Lambda::Function')) {
        if (fn === authorizer) continue;
        expect(JSON.stringify(fn.Properties.Environment ?? {})).not.toContain('ORIGIN_VERIFY_REQUIRED');
      }
    });

    it('lets the authorizer read that one secret (GetSecretValue) and decrypt it through Secrets Manager', () => {
      const [authorizerId, authorizer] = authorizerFunction();
      const roleId = (authorizer.Properties.Role as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
      const statements = ofType('AWS::IAM::Policy')
        .filter(([, p]) => JSON.stringify(p.Properties.Roles) === JSON.stringify([{ Ref: roleId }]))
        .flatMap(([, p]) => (p.Properties.PolicyDocument as { Statement: Statement[] }).Statement);
      const onSecrets = statements.filter((st) =>
        [st.Action].flat().some((a) => a.startsWith('secretsmanager:')),
      );
      expect(onSecrets, authorizerId).toEqual([
        { Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: { Ref: secretId() } },
      ]);
      // The secrets key names the authorizer's role: decrypt only, through Secrets Manager only.
      const keyPolicy = resources()[secretsKeyId()]!.Properties.KeyPolicy as {
        Statement: (Statement & { Principal: Json })[];
      };
      const forAuthorizer = keyPolicy.Statement.filter((st) =>
        JSON.stringify(st.Principal).includes(`"${roleId}"`),
      );
      expect(forAuthorizer).toHaveLength(1);
      expect(forAuthorizer[0]!.Action).toBe('kms:Decrypt');
      expect(JSON.stringify(forAuthorizer[0]!.Condition)).toContain('secretsmanager.');
      // No other function may read the secret.
      for (const [, policy] of ofType('AWS::IAM::Policy')) {
        if (JSON.stringify(policy.Properties.Roles) === JSON.stringify([{ Ref: roleId }])) continue;
        expect(JSON.stringify(policy.Properties.PolicyDocument)).not.toContain(`"Ref":"${secretId()}"`);
      }
    });

    it('has no origin-verify secret, header or identity source without edge protection', () => {
      const plain = buildApp(
        { stage: 'plain', edgeProtection: false, ...NO_BUNDLING },
        { stackProps: { routes: routes.filter((r) => r.id === 'users-mfa') } },
      );
      const template = Template.fromStack(plain.stack);
      const names = Object.values(template.findResources('AWS::SecretsManager::Secret')).map(
        (r) => (r as { Properties: Json }).Properties.Name,
      );
      // The service's own secrets only: the code pepper and the receipt key; no origin-verify secret.
      expect(names.sort()).toEqual(['sms-mfa/plain/code-pepper', 'sms-mfa/plain/receipt-key']);
      template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
        IdentitySource: ['$request.header.Authorization'],
      });
      expect(JSON.stringify(template.toJSON())).not.toContain('ORIGIN_VERIFY_REQUIRED');
    });
  });

  it('refuses a partial edge configuration', () => {
    expect(() => buildApp({ edgeDomainName: 'api.example.com' })).toThrow(/set together/);
    expect(() =>
      buildApp(
        { ...EDGE, edgeProtection: true, edgeCertificateArn: 'arn:aws:acm:eu-west-1:1:certificate/x' },
        ENV,
      ),
    ).toThrow(/us-east-1/);
    expect(() => buildApp({ stage: 'dev', ...EDGE })).toThrow(/needs edgeProtection/);
  });
});

/**
 * Issue 23: a production stage with the README's defaults (no edge context at all) gets CloudFront + WAF,
 * on CloudFront's own name, in one `cdk deploy --all` (the web ACL a cross-region reference).
 */
describe('edge protection by default on a production stage', { timeout: 180_000 }, () => {
  let outdir: string;
  let built: BuiltApp;
  let main: Template;

  beforeAll(() => {
    outdir = mkdtempSync(path.join(tmpdir(), 'sms-mfa-prod-'));
    built = buildApp({ stage: 'prod', ...NO_BUNDLING }, { ...ENV, outdir });
    // Synth runs the cdk-nag packs as validation plugins: an unacknowledged finding throws here.
    built.app.synth();
    main = Template.fromStack(built.stack);
  }, 180_000);

  afterAll(() => {
    if (outdir) rmSync(outdir, { recursive: true, force: true });
  });

  it('passes cdk-nag on both stacks', () => {
    expect(describeFindings(unacknowledgedFindings(built.app))).toEqual([]);
  });

  it('puts a CloudFront distribution with the web ACL and the origin-verify header in front of the API', () => {
    const distributions = Object.values(main.findResources('AWS::CloudFront::Distribution')) as {
      Properties: { DistributionConfig: Json & { Origins: Json[] } };
    }[];
    expect(distributions).toHaveLength(1);
    const config = distributions[0]!.Properties.DistributionConfig;
    expect(config.Aliases).toBeUndefined();
    expectWebAclFromEdgeStack(config.WebACLId);
    expect(config.DefaultCacheBehavior).toMatchObject({
      CachePolicyId: '4135ea2d-6df8-44a3-9df3-4b5a84be39ad',
      // AllViewerExceptHostHeader: execute-api answers only to its own host name.
      OriginRequestPolicyId: 'b689b0a8-53d0-40ab-baf2-68738e2966ac',
      ViewerProtocolPolicy: 'https-only',
    });
    const [origin] = config.Origins;
    expect(JSON.stringify(origin!.DomainName)).toContain('.execute-api.');
    expect(origin!.OriginCustomHeaders).toEqual([
      {
        HeaderName: 'x-origin-verify',
        HeaderValue: expect.objectContaining({ 'Fn::Join': expect.any(Array) }),
      },
    ]);
    expect(JSON.stringify(origin!.OriginCustomHeaders)).toContain(':SecretString:value::}}');
    main.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      IdentitySource: ['$request.header.Authorization', '$request.header.x-origin-verify'],
    });
    main.hasResourceProperties('AWS::Lambda::Function', {
      FunctionName: `sms-mfa-prod-${apiKeyAuthorizer.id}`,
      Environment: { Variables: Match.objectLike({ ORIGIN_VERIFY_REQUIRED: 'true' }) },
    });
  });

  it('deploys the CLOUDFRONT-scope web ACL in us-east-1 in the same app, before the main stack', () => {
    expect(built.edgeStack!.region).toBe('us-east-1');
    Template.fromStack(built.edgeStack!).hasResourceProperties('AWS::WAFv2::WebACL', { Scope: 'CLOUDFRONT' });
    expect(built.stack.dependencies).toContain(built.edgeStack);
  });

  it('serves clients on the CloudFront name and admin tools on execute-api (SigV4 signs the host)', () => {
    const outputs = main.toJSON().Outputs as Record<string, { Value: unknown }>;
    expect(JSON.stringify(outputs.ApiUrl!.Value)).toContain('DomainName');
    expect(JSON.stringify(outputs.AdminApiUrl!.Value)).toContain('execute-api');
    // CloudFront's origin is the execute-api endpoint, so it must stay on.
    main.hasResourceProperties('AWS::ApiGatewayV2::Api', { DisableExecuteApiEndpoint: false });
  });

  it('alarms on origin-verify refusals, counted by the authorizer', () => {
    // In the monitoring's nested stack, its topic parameter resolved to the main stack's topic.
    const alarms = Object.values(withNestedStacks(built.stack)).filter(
      (r) =>
        r.Type === 'AWS::CloudWatch::Alarm' &&
        r.Properties.AlarmName === 'sms-mfa-prod-origin-verify-refused',
    ) as unknown as { Properties: Json & { Metrics: Json[] } }[];
    expect(alarms).toHaveLength(1);
    expect(alarms[0]!.Properties).toMatchObject({
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      AlarmActions: [{ Ref: expect.stringMatching(/^MonitoringAlarmTopic/) }],
    });
    expect(alarms[0]!.Properties.Metrics).toEqual([
      expect.objectContaining({
        MetricStat: expect.objectContaining({
          Metric: {
            Namespace: 'SmsMfa',
            MetricName: 'OriginVerifyRefused',
            Dimensions: [{ Name: 'service', Value: 'sms-mfa' }],
          },
          Stat: 'Sum',
        }),
      }),
    ]);
  });

  it('keeps dev without CloudFront, WAF or the alarm, and refuses a production stage without a region', () => {
    const dev = buildApp({ stage: 'dev', ...NO_BUNDLING }, { stackProps: { routes: routes.slice(0, 2) } });
    expect(dev.edgeStack).toBeUndefined();
    const template = Template.fromStack(dev.stack);
    template.resourceCountIs('AWS::CloudFront::Distribution', 0);
    expect(JSON.stringify(template.toJSON())).not.toContain('origin-verify-refused');
    const saved = process.env.CDK_DEFAULT_REGION;
    delete process.env.CDK_DEFAULT_REGION;
    try {
      expect(() => buildApp({ stage: 'prod', ...NO_BUNDLING })).toThrow(/edge protection.*region/);
    } finally {
      if (saved !== undefined) process.env.CDK_DEFAULT_REGION = saved;
    }
  });
});
