import { Validations } from 'aws-cdk-lib';
import { addServiceOutputs } from './outputs.ts';
import { serviceFunctions } from './service-functions.ts';
import { serviceMonitoring } from './service-monitoring.ts';
import { codePepperSecret, originVerifySecretFor, receiptKeySecret } from './service-secrets.ts';
import { Construct, type IConstruct } from 'constructs';
import { ORIGIN_VERIFY_HEADER } from '../shared/domain/api-keys/origin-verify.ts';
import { RECEIPT_PATH_PREFIX } from '../shared/operations/callbacks.ts';
import {
  apiKeyAuthorizer,
  approvalUncounter,
  expiryReporter,
  expiryScheduler,
  pepperRotator,
  replacementNotifier,
  rerouteWorker,
  type Route,
  routes as routeTable,
  storeSweeper,
  streamAggregator,
  webhookDeliverer,
} from '../shared/routes.ts';
import { cdkRemovalPolicy, type StackConfig, toStackConfig } from './config.ts';
import { parseSmsMfaProps, type SmsMfaProps } from './props.ts';
import {
  PROJECT_ROOT,
  PUBLIC_ROUTES,
  publicToApiGateway,
  sends,
  VALIDATES_TEST_NUMBERS,
} from './service-routes.ts';
import { ApprovalUncount } from './constructs/approval-uncount.ts';
import { TableBackup } from './constructs/backup.ts';
import { EdgeDistribution } from './constructs/edge-distribution.ts';
import { EventDelivery } from './constructs/event-delivery.ts';
import { ExpiryReports } from './constructs/expiry-reports.ts';
import { grantRouteAccess } from './constructs/grants.ts';
import { type RouteThrottle, ServiceHttpApi } from './constructs/http-api.ts';
import type { SmsMfaServiceTargets } from './integrations/cognito-sender.ts';
import { ServiceKeys } from './constructs/keys.ts';
import { LogInsights } from './constructs/log-insights.ts';
import { RerouteJobs } from './constructs/reroute-jobs.ts';
import { METRICS_NAMESPACE, type Monitoring, SERVICE_NAME } from './constructs/monitoring.ts';
import { RouteFunction, routeSpec } from './constructs/route-function.ts';
import { SmsDeliveryStatusRole } from './constructs/sms-delivery-status.ts';
import { StoreSweep } from './constructs/store-sweep.ts';
import { TableStreamAggregates } from './constructs/table-stream-aggregates.ts';
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
  /** Delivery failover's durable jobs: the delay queue, its worker and dead-letter queue. */
  readonly rerouteJobs: RerouteJobs;

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
    const pepperSecret = codePepperSecret(this, { secretNamePrefix, keys: this.keys, removalPolicy });
    const originVerifySecret = config.edge
      ? originVerifySecretFor(this, { secretNamePrefix, keys: this.keys, removalPolicy })
      : undefined;
    const accessTargets = {
      table: this.table.table,
      secretNamePrefix,
      pepperSecret,
      receiptKeySecret: receiptKeySecret(this, { secretNamePrefix, keys: this.keys, removalPolicy }),
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
      // Store writes refuse adaptive routing when off; sends then route adaptive stores in order.
      ADAPTIVE_ROUTING_ALLOWED: String(config.adaptiveRoutingAllowed),
      // Only when allowed: unset reads as not allowed.
      ...(config.deliveryFailoverAllowed ? { DELIVERY_FAILOVER_ALLOWED: 'true' } : {}),
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
    this.events = new EventDelivery(this, 'Events', { ...functionProps, accessTargets });
    const { authorizer, notifier, rotator } = serviceFunctions(functionsScope, {
      config,
      functionProps,
      sendingProps,
      // The notifier's sends record gateway health, whose transitions go on the bus.
      accessTargets: { ...accessTargets, eventBus: this.events.bus },
      pepperSecret,
      ...(originVerifySecret ? { originVerifySecret } : {}),
    });
    this.expiryReports = new ExpiryReports(this, 'ExpiryReports', {
      ...functionProps,
      accessTargets,
      bus: this.events.bus,
    });
    this.rerouteJobs = new RerouteJobs(this, 'RerouteJobs', {
      ...functionProps,
      ...sendingProps,
      accessTargets: { ...accessTargets, eventBus: this.events.bus },
      encryptionKey: this.keys.data,
    });
    const routeTargets = {
      ...accessTargets,
      rerouteQueue: this.rerouteJobs.queue,
      notifier: notifier.fn,
      eventBus: this.events.bus,
      webhookQueue: this.events.queue,
    };
    // For the identity-provider constructs (cdk/integrations), which add functions beside the stack's
    // (their code.sent events go on the bus too).
    this.integrationTargets = {
      functionProps,
      accessTargets: { ...accessTargets, eventBus: this.events.bus, rerouteQueue: this.rerouteJobs.queue },
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
      this.edge = EdgeDistribution.inFrontOf(this, {
        edge: config.edge,
        webAclArn: parsed.edgeWebAclArn!,
        originVerifySecret,
        api: this.httpApi,
      });
    }

    // What integrations' hookUrl starts with: the public origin (context, else the edge URL), else the API.
    const hookBaseUrl = config.publicUrl ?? this.edge?.origin ?? this.httpApi.url;
    // The reroute worker sends: its messages name receipt addresses too.
    this.rerouteJobs.function.fn.addEnvironment('HOOK_BASE_URL', hookBaseUrl);
    const functions = new Map<string, RouteFunction>();
    const sendingIds = new Set(routes.filter((r) => sends(r.access)).map((r) => r.id));
    if (sends(replacementNotifier.access)) sendingIds.add(replacementNotifier.id);
    sendingIds.add(rerouteWorker.id);
    for (const route of routes) {
      const invokesNotifier = route.access.includes('notifier:invoke');
      const routeFunction = new RouteFunction(functionsScope, route.id, {
        ...functionProps,
        ...(sends(route.access) ? sendingProps : {}),
        environment: {
          ...environment,
          ...(invokesNotifier ? { NOTIFIER_FUNCTION_NAME: notifier.fn.functionName } : {}),
          // Accepted messages and failed receipts arm delivery-failover jobs.
          ...(route.access.includes('reroutes:enqueue')
            ? { REROUTE_QUEUE_URL: this.rerouteJobs.queue.queueUrl }
            : {}),
          // An admin's retry of a webhook delivery puts it back on the queue.
          ...(route.access.includes('webhook-queue:send')
            ? { WEBHOOK_QUEUE_URL: this.events.queue.queueUrl }
            : {}),
          // Integrations show their hookUrl on it; sends name their receipt address on it, and the
          // receipt route rebuilds the URL the provider signed from it.
          ...(route.id.startsWith('integrations-') ||
          sends(route.access) ||
          route.path.startsWith(RECEIPT_PATH_PREFIX)
            ? { HOOK_BASE_URL: hookBaseUrl }
            : {}),
          // Only the functions that validate a store's test numbers need to know whether they are allowed.
          ...(VALIDATES_TEST_NUMBERS.has(route.id)
            ? { TEST_NUMBERS_ALLOWED: String(config.testNumbersAllowed) }
            : {}),
          // Store writes refuse `voice.enabled` without it; sends refuse calls (api.md "Operator switches").
          ...(VALIDATES_TEST_NUMBERS.has(route.id) || sends(route.access)
            ? { VOICE_ALLOWED: String(config.voiceAllowed) }
            : {}),
        },
        spec: routeSpec(route),
      });
      grantRouteAccess(routeFunction.role, route.access, routeTargets);
      // Receipts come at the pace of sends: the send throttle.
      const throttle =
        sends(route.access) || route.path.startsWith(RECEIPT_PATH_PREFIX)
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
    functions.set(rerouteWorker.id, this.rerouteJobs.function);
    const sweep = new StoreSweep(this, 'StoreSweep', {
      ...functionProps,
      table: this.table.table,
      accessTargets,
    });
    functions.set(storeSweeper.id, sweep.function);
    const aggregates = new TableStreamAggregates(this, 'StreamAggregates', {
      ...functionProps,
      table: this.table.table,
      accessTargets,
    });
    aggregates.node.addDependency(sweep);
    functions.set(streamAggregator.id, aggregates.function);
    const uncount = new ApprovalUncount(this, 'ApprovalUncount', {
      ...functionProps,
      bus: this.events.bus,
      accessTargets,
    });
    functions.set(approvalUncounter.id, uncount.function);
    this.functions = functions;

    this.monitoring = serviceMonitoring(this, {
      config,
      httpApi: this.httpApi,
      functions,
      table: this.table,
      keys: this.keys,
      notifier,
      uncount,
      sweep,
      aggregates,
      events: this.events,
      expiryReports: this.expiryReports,
      rerouteJobs: this.rerouteJobs,
      ...(this.edge ? { edge: this.edge } : {}),
    });

    // Beside the alarms, in their nested stack: the main stack stays clear of CloudFormation's 500 resources.
    this.logInsights = new LogInsights(this.monitoring.alarmStack, 'LogInsights', {
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

    this.smsDeliveryStatus = new SmsDeliveryStatusRole(this, 'SmsDeliveryStatus', { stage: config.stage });
    addServiceOutputs(this);
  }
}
