import { CfnOutput, Duration, Validations } from 'aws-cdk-lib';
import { type CfnSecret, Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct, type IConstruct } from 'constructs';
import { STORE_INDEX } from '../shared/adapters/dynamodb/store-ownership.ts';
import { GSI1 } from '../shared/adapters/dynamodb/table-definition.ts';
import { ORIGIN_VERIFY_HEADER, ORIGIN_VERIFY_SECRET_NAME } from '../shared/domain/api-keys/origin-verify.ts';
import { PEPPER_ROTATION_DAYS } from '../shared/domain/codes/pepper-versions.ts';
import { receiveReceipt } from '../shared/operations/callbacks.ts';
import {
  apiKeyAuthorizer,
  approvalUncounter,
  expiryReporter,
  expiryScheduler,
  pepperRotator,
  replacementNotifier,
  type Route,
  routes as routeTable,
  storeSweeper,
  webhookDeliverer,
} from '../shared/routes.ts';
import { cdkRemovalPolicy, type StackConfig, toStackConfig } from './config.ts';
import { parseSmsMfaProps, type SmsMfaProps } from './props.ts';
import {
  NOTIFIER_MAX_EVENT_AGE,
  NOTIFIER_RETRY_ATTEMPTS,
  PROJECT_ROOT,
  PUBLIC_ROUTES,
  publicToApiGateway,
  sends,
  VALIDATES_TEST_NUMBERS,
} from './service-routes.ts';
import {
  ApprovalUncount,
  UNCOUNT_MAX_EVENT_AGE,
  UNCOUNT_RETRY_ATTEMPTS,
} from './constructs/approval-uncount.ts';
import { TableBackup } from './constructs/backup.ts';
import { EdgeDistribution } from './constructs/edge-distribution.ts';
import { EventDelivery } from './constructs/event-delivery.ts';
import { ExpiryReports } from './constructs/expiry-reports.ts';
import { grantRouteAccess } from './constructs/grants.ts';
import { type RouteThrottle, ServiceHttpApi } from './constructs/http-api.ts';
import type { SmsMfaServiceTargets } from './integrations/cognito-sender.ts';
import { ServiceKeys } from './constructs/keys.ts';
import { LogInsights } from './constructs/log-insights.ts';
import { METRICS_NAMESPACE, Monitoring, SERVICE_NAME } from './constructs/monitoring.ts';
import { RouteFunction, routeSpec } from './constructs/route-function.ts';
import { SmsDeliveryStatusRole } from './constructs/sms-delivery-status.ts';
import { StoreSweep } from './constructs/store-sweep.ts';
import { ServiceTable } from './constructs/table.ts';

/** For the project's tests: a smaller route table (quicker to bundle) or another project root. */
export interface SmsMfaBuildOptions {
  /** Defaults to the shared route table. */
  routes?: readonly Route[];
  /** Defaults to this repository's root. */
  projectRoot?: string;
}

/**
 * The whole service in any CDK app: `new SmsMfa(stack, 'Mfa', { stage: 'dev' })`. The props are
 * validated (props.ts) before anything is built; a bad one fails with its name. With edge protection
 * (every stage but `dev` unless `edgeProtection: false`) it needs `edgeWebAclArn`, the us-east-1 web
 * ACL (SmsMfaEdgeStack); the project's app wires that (cdk/app.ts).
 */
export class SmsMfa extends Construct {
  readonly config: StackConfig;
  readonly table: ServiceTable;
  readonly httpApi: ServiceHttpApi;
  /** By route id. */
  readonly functions: ReadonlyMap<string, RouteFunction>;
  readonly monitoring: Monitoring;
  readonly keys: ServiceKeys;
  /** What `SmsMfaCognitoSender` (cdk/integrations) needs to build its function beside the stack's. */
  readonly integrationTargets: SmsMfaServiceTargets;
  readonly logInsights: LogInsights;
  readonly backup?: TableBackup;
  readonly edge?: EdgeDistribution;
  readonly smsDeliveryStatus: SmsDeliveryStatusRole;
  readonly events: EventDelivery;
  readonly expiryReports: ExpiryReports;

  constructor(scope: Construct, id: string, props: SmsMfaProps = {}, options: SmsMfaBuildOptions = {}) {
    super(scope, id);
    const parsed = parseSmsMfaProps(props);
    const config = toStackConfig(parsed);
    this.config = config;
    if (config.edge && !parsed.edgeWebAclArn) {
      throw new Error(
        `SmsMfa props: edgeWebAclArn: stage ${config.stage} has edge protection, which needs the CLOUDFRONT-scope ` +
          'web ACL of a us-east-1 stack (SmsMfaEdgeStack); or set edgeProtection: false',
      );
    }
    const routes = options.routes ?? routeTable;
    const projectRoot = options.projectRoot ?? PROJECT_ROOT;
    const removalPolicy = cdkRemovalPolicy(config);
    const secretNamePrefix = `sms-mfa/${config.stage}/`;

    this.keys = new ServiceKeys(this, 'Keys', { stage: config.stage, removalPolicy });
    this.table = new ServiceTable(this, 'Data', {
      removalPolicy,
      deletionProtection: config.deletionProtection,
      encryptionKey: this.keys.data,
    });
    // The pepper keyed into every code hash. Generated once at deploy; never in the table or environment.
    const pepperSecret = new Secret(this, 'CodePepper', {
      secretName: `${secretNamePrefix}code-pepper`,
      description: 'sms-mfa: HMAC pepper for one-time code hashes',
      generateSecretString: {
        secretStringTemplate: '{}',
        generateStringKey: 'pepper',
        passwordLength: 64,
        excludePunctuation: true,
      },
      removalPolicy,
    });
    // The key is set on the L1 resource: Secret's encryptionKey prop would also add a key-policy statement
    // letting every principal of the account use the key through Secrets Manager, which is what the
    // secrets key's policy exists to prevent (keys.ts).
    (pepperSecret.node.defaultChild as CfnSecret).kmsKeyId = this.keys.secrets.keyArn;
    // Behind CloudFront: the value CloudFront adds to every origin request and the authorizer compares.
    // Created here, in the API's region, and not in the us-east-1 edge stack: the distribution is a
    // resource of this stack, so CloudFormation resolves the secret in-region at deploy (edge-distribution.ts),
    // and the authorizer reads it in its own region. Nothing crosses regions, nothing is in the template.
    const originVerifySecret = config.edge
      ? new Secret(this, 'OriginVerify', {
          secretName: `${secretNamePrefix}${ORIGIN_VERIFY_SECRET_NAME}`,
          description: 'sms-mfa: the header value CloudFront adds to origin requests (x-origin-verify)',
          generateSecretString: {
            secretStringTemplate: '{}',
            generateStringKey: 'value',
            passwordLength: 64,
            excludePunctuation: true,
          },
          removalPolicy,
        })
      : undefined;
    if (originVerifySecret) {
      (originVerifySecret.node.defaultChild as CfnSecret).kmsKeyId = this.keys.secrets.keyArn;
      Validations.of(originVerifySecret.node.defaultChild as IConstruct).acknowledge({
        id: 'AwsSolutions-SMG4',
        reason:
          "CloudFront's origin header must change in the same deploy as the secret, and a rotation Lambda cannot " +
          'update a CloudFormation-managed distribution without drifting it: rotation is the documented ' +
          'procedure (README Operations: put the new value beside the previous one, redeploy with ' +
          'originVerifyVersionId), during which the authorizer accepts both values.',
      });
    }
    const accessTargets = {
      table: this.table.table,
      secretNamePrefix,
      pepperSecret,
      keys: this.keys,
      ...(originVerifySecret ? { originVerifySecret } : {}),
    };

    const environment: Record<string, string> = {
      TABLE_NAME: this.table.table.tableName,
      SECRET_STORE: 'secrets-manager',
      SECRET_NAME_PREFIX: secretNamePrefix,
      // Gateway secrets are created with the secrets key, as the pepper is (its policy names the writers).
      SECRET_KMS_KEY_ID: this.keys.secrets.keyArn,
      CONSOLE_GATEWAY_ALLOWED: String(config.consoleGatewayAllowed),
      // The alarms and dashboard read the metrics by this namespace and service dimension.
      POWERTOOLS_SERVICE_NAME: SERVICE_NAME,
      POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
      ...(config.outboundAllowCidrs.length > 0
        ? { OUTBOUND_ALLOW_CIDRS: config.outboundAllowCidrs.join(',') }
        : {}),
      // Known before the bus exists: its name is fixed by the stage.
      EVENT_BUS_NAME: `sms-mfa-${config.stage}`,
    };

    const functionsScope = new Construct(this, 'Functions');
    const functionProps = {
      stage: config.stage,
      projectRoot,
      environment,
      logRetention: config.logRetention,
      logRemovalPolicy: removalPolicy,
      logEncryptionKey: this.keys.logs,
    };
    // Reserved concurrency is the spend cap of every function that sends: 0 stops all sending.
    // (Their timeout, above the send deadline, comes from the domain: FunctionSpec.sends.)
    const sendingProps = { reservedConcurrency: config.sendConcurrency };
    const authorizer = new RouteFunction(functionsScope, apiKeyAuthorizer.id, {
      ...functionProps,
      // Behind CloudFront it refuses requests without CloudFront's origin-verify header (the WAF's bypass).
      environment: originVerifySecret ? { ...environment, ORIGIN_VERIFY_REQUIRED: 'true' } : environment,
      // Its log records every refused key: part of the authentication audit trail.
      logRetention: config.auditLogRetention,
      spec: {
        id: apiKeyAuthorizer.id,
        handler: apiKeyAuthorizer.handler,
        description: 'API key authorizer for the /v1 routes',
        sends: false,
      },
    });
    grantRouteAccess(
      authorizer.role,
      originVerifySecret
        ? [...apiKeyAuthorizer.access, ...apiKeyAuthorizer.edgeAccess]
        : apiKeyAuthorizer.access,
      accessTargets,
    );
    const notifier = new RouteFunction(functionsScope, replacementNotifier.id, {
      ...functionProps,
      ...(sends(replacementNotifier.access) ? sendingProps : {}),
      invocation: 'async',
      spec: {
        id: replacementNotifier.id,
        handler: replacementNotifier.handler,
        description: 'Tells a number that an enrollment replaced it (invoked asynchronously by verify)',
        sends: sends(replacementNotifier.access),
      },
    });
    grantRouteAccess(notifier.role, replacementNotifier.access, accessTargets);
    this.events = new EventDelivery(this, 'Events', { ...functionProps, accessTargets });
    this.expiryReports = new ExpiryReports(this, 'ExpiryReports', {
      ...functionProps,
      accessTargets,
      bus: this.events.bus,
    });
    // A rotation keeps the previous pepper beside the new one, and verify tries both: no code in flight is lost.
    const rotator = new RouteFunction(functionsScope, pepperRotator.id, {
      ...functionProps,
      spec: {
        id: pepperRotator.id,
        handler: pepperRotator.handler,
        description: "Rotates the code pepper (Secrets Manager's rotation steps)",
        sends: false,
      },
    });
    grantRouteAccess(rotator.role, pepperRotator.access, accessTargets);
    pepperSecret.addRotationSchedule('Rotation', {
      rotationLambda: rotator.fn,
      automaticallyAfter: Duration.days(PEPPER_ROTATION_DAYS),
    });
    const routeTargets = { ...accessTargets, notifier: notifier.fn, eventBus: this.events.bus };
    // For the identity-provider constructs (cdk/integrations), which add functions beside the stack's
    // (their code.sent events go on the bus too).
    this.integrationTargets = {
      functionProps,
      accessTargets: { ...accessTargets, eventBus: this.events.bus },
    };

    this.httpApi = new ServiceHttpApi(this, 'Http', {
      apiKeyAuthorizer: authorizer.fn,
      stage: config.stage,
      throttleRate: config.throttleRate,
      throttleBurst: config.throttleBurst,
      auditLogRetention: config.auditLogRetention,
      logRemovalPolicy: removalPolicy,
      logEncryptionKey: this.keys.logs,
      // Only a custom domain lets CloudFront reach the API without execute-api (edge-distribution.ts).
      disableExecuteApiEndpoint: config.edge?.customDomain !== undefined,
      ...(originVerifySecret ? { originVerifyHeader: ORIGIN_VERIFY_HEADER } : {}),
    });
    const sendThrottle: RouteThrottle = {
      rateLimit: config.sendThrottleRate,
      burstLimit: config.sendThrottleBurst,
    };
    const publicThrottle: RouteThrottle = {
      rateLimit: config.publicThrottleRate,
      burstLimit: config.publicThrottleBurst,
    };

    // Check the whole route table before bundling anything: a bad entry fails fast with a clear message.
    const ids = new Set<string>();
    for (const route of routes) {
      if (ids.has(route.id)) throw new Error(`Duplicate route id ${route.id}`);
      ids.add(route.id);
      if (publicToApiGateway(route) && !(route.id in PUBLIC_ROUTES)) {
        throw new Error(
          `Route ${route.id} has auth "${route.auth}" but is not listed in PUBLIC_ROUTES with a reason`,
        );
      }
      this.httpApi.authorizerFor(route);
    }

    if (config.edge && originVerifySecret) {
      this.edge = new EdgeDistribution(this, 'Edge', {
        edge: config.edge,
        webAclArn: parsed.edgeWebAclArn!,
        originVerifySecret,
        httpApi: this.httpApi.api,
        stage: this.httpApi.stage,
      });
      new CfnOutput(this, 'EdgeDistributionDomainName', {
        value: this.edge.distribution.distributionDomainName,
        description: config.edge.customDomain
          ? `Point ${config.edge.customDomain.domainName} at this name (Route 53 alias or CNAME)`
          : 'CloudFront name of the API (ApiUrl)',
      });
      if (!config.edge.customDomain) {
        new CfnOutput(this, 'AdminApiUrl', {
          value: this.httpApi.url,
          description:
            'Base URL for admin tools (SigV4 signs the host: /admin is not served through CloudFront)',
        });
      }
    }

    // What integrations' hookUrl starts with: the public origin (context, else the edge URL), else the API.
    const hookBaseUrl = config.publicUrl ?? this.edge?.origin ?? this.httpApi.url;
    const functions = new Map<string, RouteFunction>();
    const sendingIds = new Set(routes.filter((r) => sends(r.access)).map((r) => r.id));
    if (sends(replacementNotifier.access)) sendingIds.add(replacementNotifier.id);
    for (const route of routes) {
      const invokesNotifier = route.access.includes('notifier:invoke');
      const routeFunction = new RouteFunction(functionsScope, route.id, {
        ...functionProps,
        ...(sends(route.access) ? sendingProps : {}),
        environment: {
          ...environment,
          ...(invokesNotifier ? { NOTIFIER_FUNCTION_NAME: notifier.fn.functionName } : {}),
          // Integrations show their hookUrl on it; sends name their receipt address on it, and the
          // receipt route rebuilds the URL the provider signed from it.
          ...(route.id.startsWith('integrations-') || sends(route.access) || route.id === receiveReceipt.id
            ? { HOOK_BASE_URL: hookBaseUrl }
            : {}),
          // Only the functions that validate a store's test numbers need to know whether they are allowed.
          ...(VALIDATES_TEST_NUMBERS.has(route.id)
            ? { TEST_NUMBERS_ALLOWED: String(config.testNumbersAllowed) }
            : {}),
        },
        spec: routeSpec(route),
      });
      grantRouteAccess(routeFunction.role, route.access, routeTargets);
      // Receipts come at the pace of sends: the send throttle.
      const throttle =
        sends(route.access) || route.id === receiveReceipt.id
          ? sendThrottle
          : route.auth === 'none'
            ? publicThrottle
            : undefined;
      const httpRoute = this.httpApi.addRoute(route, routeFunction.fn, throttle);
      const publicReason = PUBLIC_ROUTES[route.id];
      if (publicToApiGateway(route) && publicReason) {
        // On the CfnRoute itself, not the HttpRoute (which also holds the Lambda permission).
        Validations.of(httpRoute.node.defaultChild as IConstruct).acknowledge({
          id: 'AwsSolutions-APIG4',
          reason: publicReason,
        });
      }
      functions.set(route.id, routeFunction);
    }
    functions.set(apiKeyAuthorizer.id, authorizer);
    functions.set(replacementNotifier.id, notifier);
    functions.set(pepperRotator.id, rotator);
    functions.set(webhookDeliverer.id, this.events.function);
    functions.set(expiryScheduler.id, this.expiryReports.scheduler);
    functions.set(expiryReporter.id, this.expiryReports.reporter);
    const sweep = new StoreSweep(this, 'StoreSweep', {
      ...functionProps,
      table: this.table.table,
      accessTargets,
    });
    functions.set(storeSweeper.id, sweep.function);
    const uncount = new ApprovalUncount(this, 'ApprovalUncount', {
      ...functionProps,
      bus: this.events.bus,
      accessTargets,
    });
    functions.set(approvalUncounter.id, uncount.function);
    this.functions = functions;

    this.monitoring = new Monitoring(this, 'Monitoring', {
      config,
      httpStage: this.httpApi.stage,
      functions: new Map([...functions].map(([routeId, routeFunction]) => [routeId, routeFunction.fn])),
      table: this.table.table,
      tableIndexNames: [GSI1.name, STORE_INDEX.name],
      queueKey: this.keys.data,
      asyncFunctions: [
        {
          name: 'replaced-number-notifier',
          fn: notifier.fn,
          purpose: 'A notice to a replaced phone number',
          retryAttempts: NOTIFIER_RETRY_ATTEMPTS,
          maxEventAge: NOTIFIER_MAX_EVENT_AGE,
        },
        {
          name: approvalUncounter.id,
          fn: uncount.function.fn,
          purpose: "Taking an approved challenge's sends off the fraud guard's unverified counts",
          retryAttempts: UNCOUNT_RETRY_ATTEMPTS,
          maxEventAge: UNCOUNT_MAX_EVENT_AGE,
        },
        ...this.expiryReports.asyncFunctions,
      ],
    });
    sweep.alarmTo(this.monitoring.topic);
    uncount.alarmTo(this.monitoring.topic);
    this.events.alarmTo(this.monitoring.topic);
    this.expiryReports.alarmTo(this.monitoring.topic);
    if (this.edge) this.edge.alarmTo(this.monitoring);

    this.logInsights = new LogInsights(this, 'LogInsights', {
      stage: config.stage,
      accessLog: this.httpApi.accessLogGroup,
      sendingFunctionLogs: [...functions].filter(([id]) => sendingIds.has(id)).map(([, f]) => f.logGroup),
    });
    if (config.backup) {
      this.backup = new TableBackup(this, 'Backup', {
        stage: config.stage,
        table: this.table.table,
        encryptionKey: this.keys.data,
        removalPolicy,
      });
    }

    new CfnOutput(this, 'ApiUrl', {
      value: this.edge?.url ?? this.httpApi.url,
      description: 'Base URL of the API',
    });
    this.smsDeliveryStatus = new SmsDeliveryStatusRole(this, 'SmsDeliveryStatus', { stage: config.stage });
    new CfnOutput(this, 'SmsDeliveryStatusRoleArn', {
      value: this.smsDeliveryStatus.role.roleArn,
      description:
        'For aws-sns gateways: aws sns set-sms-attributes --attributes DeliveryStatusIAMRole=<this>',
    });
    new CfnOutput(this, 'EventBusName', {
      value: this.events.bus.eventBusName,
      description: 'EventBridge bus with every event (source sms-mfa); add your own rules to it',
    });
    new CfnOutput(this, 'TableName', { value: this.table.table.tableName, description: 'DynamoDB table' });
    new CfnOutput(this, 'Dashboard', {
      value: this.monitoring.dashboard.dashboardName,
      description: 'CloudWatch dashboard (CloudWatch console > Dashboards)',
    });
    new CfnOutput(this, 'AlarmTopic', {
      value: this.monitoring.topic.topicArn,
      description: 'SNS topic every alarm notifies; subscribe more endpoints to it',
    });
  }
}
