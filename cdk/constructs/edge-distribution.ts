import { SecretValue, Validations } from 'aws-cdk-lib';
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
import type { EdgeConfig } from '../config.ts';

export interface EdgeDistributionProps {
  edge: EdgeConfig;
  httpApi: IHttpApi;
  stage: IHttpStage;
  /** A JSON secret whose `value` CloudFront sends as the origin-verify header; the authorizer checks it. */
  originVerifySecret: ISecret;
}

/**
 * CloudFront with the WAF web ACL in front of the HTTP API. The API answers only on its custom domain
 * (the execute-api endpoint is disabled by ServiceHttpApi), and CloudFront forwards the viewer's Host
 * header, so the host a SigV4 signature covers (the public name) is the host API Gateway checks it
 * against: admin requests signed for `https://<domainName>` verify. Nothing is cached.
 *
 * Every origin request carries `x-origin-verify` with the origin-verify secret (CloudFront overwrites a
 * viewer's header of that name), so the API key authorizer can refuse `/v1` requests that reached the
 * custom domain's regional name directly, around the WAF. The value is a Secrets Manager dynamic
 * reference, resolved by CloudFormation at deploy. That works here because this distribution belongs to
 * the main stack, in the secret's own region (CloudFront is global: only the web ACL must live in
 * us-east-1, and it does, in SmsMfaEdge-<stage>); a reference from the us-east-1 stack could not resolve
 * a secret of another region. CloudFormation re-resolves the reference only when its text changes, so a
 * rotation pins the new version with `originVerifyVersionId` (README, Operations).
 */
export class EdgeDistribution extends Construct {
  readonly distribution: Distribution;
  readonly domain: DomainName;
  readonly url: string;

  constructor(scope: Construct, id: string, props: EdgeDistributionProps) {
    super(scope, id);
    const { edge } = props;
    this.domain = new DomainName(this, 'ApiDomain', {
      domainName: edge.domainName,
      certificate: Certificate.fromCertificateArn(this, 'ApiCertificate', edge.apiCertificateArn),
      securityPolicy: SecurityPolicy.TLS_1_2,
    });
    new ApiMapping(this, 'ApiMapping', { api: props.httpApi, domainName: this.domain, stage: props.stage });

    this.distribution = new Distribution(this, 'Distribution', {
      comment: `sms-mfa API (${edge.domainName})`,
      domainNames: [edge.domainName],
      certificate: Certificate.fromCertificateArn(this, 'EdgeCertificate', edge.certificateArn),
      minimumProtocolVersion: SecurityPolicyProtocol.TLS_V1_2_2021,
      httpVersion: HttpVersion.HTTP2_AND_3,
      webAclId: edge.webAclArn,
      defaultBehavior: {
        origin: new HttpOrigin(this.domain.regionalDomainName, {
          protocolPolicy: OriginProtocolPolicy.HTTPS_ONLY,
          originSslProtocols: [OriginSslPolicy.TLS_V1_2],
          customHeaders: {
            [ORIGIN_VERIFY_HEADER]: SecretValue.secretsManager(props.originVerifySecret.secretArn, {
              jsonField: 'value',
              ...(edge.originVerifyVersionId ? { versionId: edge.originVerifyVersionId } : {}),
            }).unsafeUnwrap(),
          },
        }),
        viewerProtocolPolicy: ViewerProtocolPolicy.HTTPS_ONLY,
        allowedMethods: AllowedMethods.ALLOW_ALL,
        cachePolicy: CachePolicy.CACHING_DISABLED,
        // Every header (Host and Authorization included), query string and cookie, as the viewer sent it.
        originRequestPolicy: OriginRequestPolicy.ALL_VIEWER,
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
    this.url = `https://${edge.domainName}/`;
  }
}
