import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { Template } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, type BuiltApp } from '../../cdk/app.ts';
import { routes } from '../../shared/routes.ts';
import { acknowledgements, describeFindings, rawFindings, unacknowledgedFindings } from './nag-helpers.ts';

type Json = Record<string, unknown>;

const EDGE = {
  edgeDomainName: 'api.example.com',
  edgeCertificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/edge',
  apiCertificateArn: 'arn:aws:acm:eu-west-1:123456789012:certificate/api',
  edgeWebAclArn: 'arn:aws:wafv2:us-east-1:123456789012:global/webacl/sms-mfa-edge/abc',
};

/** CloudFront + WAF in front of the API: the app with the edge context, on a few routes (quick to bundle). */
describe('edge protection (CloudFront + WAF)', { timeout: 120_000 }, () => {
  let outdir: string;
  let built: BuiltApp;
  let main: Template;
  let edge: Template;

  beforeAll(() => {
    outdir = mkdtempSync(path.join(tmpdir(), 'sms-mfa-edge-'));
    built = buildApp(
      { stage: 'edge', ...EDGE, wafAllowedCountries: 'GB,IE' },
      {
        outdir,
        stackProps: { routes: routes.filter((r) => ['health', 'gateways-list', 'users-mfa'].includes(r.id)) },
      },
    );
    built.app.synth();
    main = Template.fromStack(built.stack);
    edge = Template.fromStack(built.edgeStack);
  }, 120_000);

  afterAll(() => {
    if (outdir) rmSync(outdir, { recursive: true, force: true });
  });

  it('keeps cdk-nag clean on both stacks, acknowledging only findings that exist', () => {
    expect(describeFindings(unacknowledgedFindings(built.app))).toEqual([]);
    const raw = rawFindings(built.app);
    const edgeAcks = acknowledgements(built.app).filter((a) => a.path.includes('/Edge/'));
    expect(edgeAcks.map((a) => a.id).sort()).toEqual(['AwsSolutions-CFR1', 'AwsSolutions-CFR3']);
    for (const ack of edgeAcks) {
      expect(
        raw.some((f) => f.id === ack.id && f.path.startsWith(ack.path)),
        ack.id,
      ).toBe(true);
    }
  });

  it('puts the web ACL in us-east-1 with CloudFront scope and the issue-15 rules', () => {
    expect(built.edgeStack.region).toBe('us-east-1');
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
      { stage: 'edge2' },
      { stackProps: { routes: routes.filter((r) => r.id === 'health') } },
    );
    const [acl] = Object.values(Template.fromStack(plain.edgeStack).findResources('AWS::WAFv2::WebACL')) as {
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
      WebACLId: EDGE.edgeWebAclArn,
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
    expect(JSON.stringify(config.Origins)).toContain('"OriginSSLProtocols":["TLSv1.2"]');
    main.hasOutput('ApiUrl', { Value: 'https://api.example.com/' });
  });

  it('refuses a partial edge configuration', () => {
    expect(() => buildApp({ edgeDomainName: 'api.example.com' })).toThrow(/set together/);
    expect(() => buildApp({ ...EDGE, edgeCertificateArn: 'arn:aws:acm:eu-west-1:1:certificate/x' })).toThrow(
      /us-east-1/,
    );
  });
});
