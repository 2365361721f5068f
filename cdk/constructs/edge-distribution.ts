import { Aws, CfnOutput, SecretValue, Validations } from 'aws-cdk-lib';
import {
  ApiMapping,
  DomainName,
  type IHttpApi,
  type IHttpStage,
  SecurityPolicy,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { Certificate } from 'aws-cdk-lib/aws-certificatemanager';
import {
  AllowedMethods,
  CachePolicy,
  Distribution,
  HttpVersion,
  OriginProtocolPolicy,
  OriginRequestPolicy,
  OriginSslPolicy,
  SecurityPolicyProtocol,
  ViewerProtocolPolicy,
} from 'aws-cdk-lib/aws-cloudfront';
import { HttpOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct, type IConstruct } from 'constructs';
import { ORIGIN_VERIFY_HEADER } from '../../shared/domain/api-keys/origin-verify.ts';
import { ComparisonOperator } from 'aws-cdk-lib/aws-cloudwatch';
import type { EdgeConfig } from '../config.ts';
import type { ServiceHttpApi } from './http-api.ts';
import type { AlarmSink } from './alarm-sink.ts';
import { serviceCount } from './monitoring-metrics.ts';

export interface EdgeDistributionProps {
  edge: EdgeConfig;
  httpApi: IHttpApi;
  stage: IHttpStage;
  /** The CLOUDFRONT-scope web ACL (us-east-1): a cross-region reference to the edge stack's ACL. */
  webAclArn: string;
  /** A JSON secret whose `value` CloudFront sends as the origin-verify header; the authorizer checks it. */
  originVerifySecret: ISecret;
}

/**
 * CloudFront with the WAF web ACL in front of the HTTP API. Nothing is cached.
 *
 * With a custom domain, the origin is the API Gateway custom domain's regional name and CloudFront
 * forwards the viewer's Host header, so the host a SigV4 signature covers (the public name) is the host
 * API Gateway checks it against: admin requests signed for `https://<domainName>` verify, and the
 * execute-api endpoint is disabled (ServiceHttpApi). Without one, clients call CloudFront's own
 * `<id>.cloudfront.net` name and the origin is the execute-api endpoint itself, which therefore stays on;
 * CloudFront must then send the origin's Host (API Gateway routes by it), so admin tools, whose SigV4
 * signature covers the host they call, call the execute-api URL (output `AdminApiUrl`; docs/security.md).
 *
 * Every origin request carries `x-origin-verify` with the origin-verify secret (CloudFront overwrites a
 * viewer's header of that name), so the API key authorizer refuses `/v1` requests that reached the
 * origin directly, around the WAF. The value is a Secrets Manager dynamic reference, resolved by
 * CloudFormation at deploy. That works here because this distribution belongs to the main stack, in the
 * secret's own region (CloudFront is global: only the web ACL must live in us-east-1, and it does, in
 * SmsMfaEdge-<stage>); a reference from the us-east-1 stack could not resolve a secret of another region.
 * CloudFormation re-resolves the reference only when its text changes, so a rotation pins the new
 * version with `originVerifyVersionId` (docs/operations.md).
 */
export class EdgeDistribution extends Construct {
  readonly distribution: Distribution;
  readonly domain?: DomainName;
  /** The public base URL: `https://<custom domain>/` or `https://<id>.cloudfront.net/`. */
  readonly url: string;
  /** The same without the trailing slash. */
  readonly origin: string;

  /** The distribution as `Edge` in `scope`, with the outputs that tell an operator where it answers. */
  static inFrontOf(
    scope: Construct,
    props: Omit<EdgeDistributionProps, 'httpApi' | 'stage'> & { api: ServiceHttpApi },
  ): EdgeDistribution {
    const { api, ...rest } = props;
    const edge = new EdgeDistribution(scope, 'Edge', { ...rest, httpApi: api.api, stage: api.stage });
    const custom = props.edge.customDomain;
    new CfnOutput(scope, 'EdgeDistributionDomainName', {
      value: edge.distribution.distributionDomainName,
      description: custom
        ? `Point ${custom.domainName} at this name (Route 53 alias or CNAME)`
        : 'CloudFront name of the API (ApiUrl)',
    });
    if (!custom) {
      new CfnOutput(scope, 'AdminApiUrl', {
        value: api.url,
        description:
          'Base URL for admin tools (SigV4 signs the host: /admin is not served through CloudFront)',
      });
    }
    return edge;
  }

  constructor(scope: Construct, id: string, props: EdgeDistributionProps) {
    super(scope, id);
    const custom = props.edge.customDomain;
    let originDomain: string;
    if (custom) {
      this.domain = new DomainName(this, 'ApiDomain', {
        domainName: custom.domainName,
        certificate: Certificate.fromCertificateArn(this, 'ApiCertificate', custom.apiCertificateArn),
        securityPolicy: SecurityPolicy.TLS_1_2,
      });
      new ApiMapping(this, 'ApiMapping', { api: props.httpApi, domainName: this.domain, stage: props.stage });
      originDomain = this.domain.regionalDomainName;
    } else {
      originDomain = `${props.httpApi.apiId}.execute-api.${Aws.REGION}.${Aws.URL_SUFFIX}`;
    }

    this.distribution = new Distribution(this, 'Distribution', {
      comment: `sms-mfa API (${custom?.domainName ?? 'CloudFront domain'})`,
      ...(custom
        ? {
            domainNames: [custom.domainName],
            certificate: Certificate.fromCertificateArn(this, 'EdgeCertificate', custom.certificateArn),
          }
        : {}),
      minimumProtocolVersion: SecurityPolicyProtocol.TLS_V1_2_2021,
      httpVersion: HttpVersion.HTTP2_AND_3,
      webAclId: props.webAclArn,
      defaultBehavior: {
        origin: new HttpOrigin(originDomain, {
          protocolPolicy: OriginProtocolPolicy.HTTPS_ONLY,
          originSslProtocols: [OriginSslPolicy.TLS_V1_2],
          customHeaders: {
            [ORIGIN_VERIFY_HEADER]: SecretValue.secretsManager(props.originVerifySecret.secretArn, {
              jsonField: 'value',
              ...(props.edge.originVerifyVersionId ? { versionId: props.edge.originVerifyVersionId } : {}),
            }).unsafeUnwrap(),
          },
        }),
        viewerProtocolPolicy: ViewerProtocolPolicy.HTTPS_ONLY,
        allowedMethods: AllowedMethods.ALLOW_ALL,
        cachePolicy: CachePolicy.CACHING_DISABLED,
        // Every header (Authorization included), query string and cookie, as the viewer sent it; Host too
        // on a custom domain, but not towards execute-api, which answers only to its own name.
        originRequestPolicy: custom
          ? OriginRequestPolicy.ALL_VIEWER
          : OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
      },
    });
    const distribution = this.distribution.node.defaultChild as IConstruct;
    Validations.of(distribution).acknowledge({
      id: 'AwsSolutions-CFR1',
      reason:
        'Callers are client-app servers and admin tools, wherever they run; a country allow-list, when wanted, ' +
        "is the WAF web ACL's optional allowed-countries rule (context wafAllowedCountries), judged on the same IP.",
    });
    Validations.of(distribution).acknowledge({
      id: 'AwsSolutions-CFR3',
      reason:
        'Every request is logged twice without CloudFront standard logs: by the WAF web ACL (all requests, client ' +
        'IP, rule matched, Authorization redacted) and by the HTTP API access log (status, route, key id).',
    });
    if (!custom) {
      Validations.of(distribution).acknowledge({
        id: 'AwsSolutions-CFR4',
        reason:
          "On CloudFront's own *.cloudfront.net name the viewer certificate is CloudFront's default one, whose " +
          'security policy (TLSv1) cannot be changed; callers are servers whose TLS stacks negotiate TLS 1.2 or ' +
          '1.3 anyway, and CloudFront to API Gateway is TLS 1.2 only. A custom domain (edgeDomainName) sets ' +
          'TLSv1.2_2021 as the minimum.',
      });
    }
    this.origin = `https://${custom?.domainName ?? this.distribution.distributionDomainName}`;
    this.url = `${this.origin}/`;
  }

  /**
   * The origin-verify-refused alarm. A request without the header never reaches the authorizer (the
   * header is an identity source: API Gateway answers 401 itself), so every OriginVerifyRefused is a
   * request that carried a wrong value: someone who found the origin and is guessing, or CloudFront
   * sending a value the secret no longer holds (a rotation finished before the redeploy), which refuses
   * every /v1 request. Neither happens in normal operation: one is enough.
   */
  alarmTo(alarms: AlarmSink): void {
    alarms.addAlarm('OriginVerifyRefused', 'origin-verify-refused', {
      metric: serviceCount('OriginVerifyRefused'),
      threshold: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      description:
        'The API key authorizer refused at least one /v1 request in 5 minutes because its x-origin-verify ' +
        'header did not match the origin-verify secret (OriginVerifyRefused). If every /v1 request fails, ' +
        'CloudFront sends a value the secret no longer holds: finish the rotation (docs/operations.md, ' +
        'redeploy with originVerifyVersionId). Otherwise someone calls the origin directly around the WAF with ' +
        'a guessed value: find the source IPs in the access log (Logs Insights) and keep the secret unguessable.',
    });
  }
}
