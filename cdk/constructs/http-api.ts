import { Duration, Lazy, type RemovalPolicy } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import {
  type CfnStage,
  HttpApi,
  HttpMethod,
  HttpNoneAuthorizer,
  HttpRoute,
  HttpRouteKey,
  HttpStage,
  type IHttpRouteAuthorizer,
  LogGroupLogDestination,
} from 'aws-cdk-lib/aws-apigatewayv2';
import {
  HttpIamAuthorizer,
  HttpLambdaAuthorizer,
  HttpLambdaResponseType,
} from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { Route, RouteAuth } from '../../shared/routes.ts';
import { CredentialedLambdaIntegration } from './credentialed-lambda-integration.ts';

export interface ServiceHttpApiProps {
  stage: string;
  throttleRate: number;
  throttleBurst: number;
  /** The access log is the authentication audit trail: who called with which key, from where. */
  auditLogRetention: RetentionDays;
  logRemovalPolicy: RemovalPolicy;
  logEncryptionKey: IKey;
  /** Behind CloudFront: the API answers only on its custom domain, so the WAF cannot be bypassed through execute-api. */
  disableExecuteApiEndpoint?: boolean;
  /** The Lambda REQUEST authorizer for `api-key` routes. */
  apiKeyAuthorizer: IFunction;
  /**
   * Behind CloudFront: the header CloudFront adds with the origin-verify secret. It becomes an identity
   * source: API Gateway answers 401 without invoking the authorizer when it is missing, and the
   * authorizer's cached answer is keyed by it and the Authorization header together.
   */
  originVerifyHeader?: string;
}

/**
 * How long API Gateway reuses an authorizer answer for the same Authorization header: a revoked key
 * keeps working for at most this long. Short, because revocation is a security action.
 */
export const AUTHORIZER_CACHE_TTL = Duration.seconds(30);

/**
 * One JSON object per request. `$context.identity.userArn` names the IAM caller of admin routes;
 * the authorizer/integration error fields explain 4xx/5xx answers that never reached a function. The
 * route key (`GET /v1/users/{userId}/mfa`) names the route, never the path itself: a path holds the user
 * id, which no log line carries (api.md "User ids in logs"), and a receipt's token.
 */
const ACCESS_LOG_FIELDS = {
  requestId: '$context.requestId',
  requestTime: '$context.requestTime',
  sourceIp: '$context.identity.sourceIp',
  userAgent: '$context.identity.userAgent',
  userArn: '$context.identity.userArn',
  httpMethod: '$context.httpMethod',
  routeKey: '$context.routeKey',
  protocol: '$context.protocol',
  status: '$context.status',
  responseLength: '$context.responseLength',
  responseLatency: '$context.responseLatency',
  integrationStatus: '$context.integrationStatus',
  integrationLatency: '$context.integrationLatency',
  integrationError: '$context.integrationErrorMessage',
  authorizerError: '$context.authorizer.error',
  // The API key's id and identity store, from the authorizer's context: who to revoke when a key is abused.
  keyId: '$context.authorizer.keyId',
  storeId: '$context.authorizer.storeId',
  errorMessage: '$context.error.message',
} as const;

/** Throttling of one route, tighter than the default every route gets. */
export interface RouteThrottle {
  rateLimit: number;
  burstLimit: number;
}

/**
 * The HTTP API: a `$default` stage with JSON access logs, per-route detailed metrics and throttling
 * (a default for every route, `throttleRate`/`throttleBurst`, and tighter limits on the routes given to
 * `addRoute`), and one route per route-table entry, each authorised as its `auth` says. HTTP API
 * throttling is per route: the default applies to each route on its own, not to the stage as a whole.
 */
export class ServiceHttpApi extends Construct {
  readonly api: HttpApi;
  readonly stage: HttpStage;
  readonly accessLogGroup: LogGroup;
  /** API Gateway's role for invoking the route functions (each route grants its own function). */
  private readonly invoker: Role;
  private readonly invocations = new PolicyStatement({ actions: ['lambda:InvokeFunction'] });
  private readonly authorizers: { readonly [A in RouteAuth]: () => IHttpRouteAuthorizer };
  /** CloudFormation's RouteSettings is untyped JSON: the keys are written as CloudFormation spells them. */
  private readonly routeSettings: Record<string, Record<string, number | boolean>> = {};

  constructor(scope: Construct, id: string, props: ServiceHttpApiProps) {
    super(scope, id);
    this.invoker = new Role(this, 'RouteInvoker', {
      assumedBy: new ServicePrincipal('apigateway.amazonaws.com'),
      description: `sms-mfa ${props.stage}: API Gateway invokes the route functions`,
    });
    this.invoker.addToPrincipalPolicy(this.invocations);
    this.api = new HttpApi(this, 'Api', {
      apiName: `sms-mfa-${props.stage}`,
      description: `sms-mfa ${props.stage}: SMS one-time codes for MFA`,
      // Our own stage below: the default one offers neither access logs nor throttling.
      createDefaultStage: false,
      disableExecuteApiEndpoint: props.disableExecuteApiEndpoint ?? false,
    });

    this.accessLogGroup = new LogGroup(this, 'AccessLogs', {
      retention: props.auditLogRetention,
      removalPolicy: props.logRemovalPolicy,
      encryptionKey: props.logEncryptionKey,
    });
    this.stage = new HttpStage(this, 'DefaultStage', {
      httpApi: this.api,
      stageName: '$default',
      autoDeploy: true,
      throttle: { rateLimit: props.throttleRate, burstLimit: props.throttleBurst },
      accessLogSettings: {
        destination: new LogGroupLogDestination(this.accessLogGroup),
        format: AccessLogFormat.custom(JSON.stringify(ACCESS_LOG_FIELDS)),
      },
      // Count, 4xx, 5xx, latency per route (ApiId, Stage, Method, Resource): which route fails or is hammered.
      detailedMetricsEnabled: true,
    });
    const cfnStage = this.stage.node.defaultChild as CfnStage;
    cfnStage.routeSettings = Lazy.any({
      produce: () => (Object.keys(this.routeSettings).length > 0 ? this.routeSettings : undefined),
    });

    const iam = new HttpIamAuthorizer();
    const apiKey = new HttpLambdaAuthorizer('ApiKeyAuthorizer', props.apiKeyAuthorizer, {
      authorizerName: `sms-mfa-${props.stage}-api-key`,
      responseTypes: [HttpLambdaResponseType.SIMPLE],
      identitySource: [
        '$request.header.Authorization',
        ...(props.originVerifyHeader ? [`$request.header.${props.originVerifyHeader}`] : []),
      ],
      resultsCacheTtl: AUTHORIZER_CACHE_TTL,
    });
    this.authorizers = {
      none: () => new HttpNoneAuthorizer(),
      // Admin routes: SigV4-signed requests, allowed by the caller's IAM policy on execute-api:Invoke.
      admin: () => iam,
      // Client routes: API keys, checked against their stored hash by the Lambda authorizer.
      'api-key': () => apiKey,
      // Identity-provider hooks: the handler checks the integration's secret (nothing for API Gateway to check).
      'hook-secret': () => new HttpNoneAuthorizer(),
    };
  }

  /** The authorizer for `route`'s auth kind; throws for kinds this stack cannot build yet. */
  authorizerFor(route: Route): IHttpRouteAuthorizer {
    const make = this.authorizers[route.auth];
    if (!make) throw new Error(`Route ${route.id}: unknown auth ${JSON.stringify(route.auth)}`);
    return make();
  }

  /**
   * Adds `route`, served by `handler`, with `throttle` instead of the default route throttling when
   * given. Returns the route so callers can scope acknowledgements to it.
   */
  addRoute(route: Route, handler: IFunction, throttle?: RouteThrottle): HttpRoute {
    const routeKey = `${route.method} ${route.path}`;
    if (throttle) {
      this.routeSettings[routeKey] = {
        ThrottlingRateLimit: throttle.rateLimit,
        ThrottlingBurstLimit: throttle.burstLimit,
        DetailedMetricsEnabled: true,
      };
    }
    return new HttpRoute(this, `Route-${route.id}`, {
      httpApi: this.api,
      routeKey: HttpRouteKey.with(route.path, HttpMethod[route.method]),
      integration: new CredentialedLambdaIntegration(
        `Integration-${route.id}`,
        handler,
        this.invoker,
        this.invocations,
      ),
      authorizer: this.authorizerFor(route),
    });
  }

  get url(): string {
    const url = this.stage.url;
    if (!url) throw new Error('HTTP API stage has no URL');
    return url;
  }
}
