import { ArnFormat, Aws, Duration, Stack, Validations } from 'aws-cdk-lib';
import type { IHttpStage } from 'aws-cdk-lib/aws-apigatewayv2';
import {
  Alarm,
  AlarmStatusWidget,
  ComparisonOperator,
  Dashboard,
  GraphWidget,
  type IMetric,
  MathExpression,
  Metric,
  SearchExpression,
  Stats,
  TreatMissingData,
  type IWidget,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { type IKey, Key } from 'aws-cdk-lib/aws-kms';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import { cdkRemovalPolicy, type StackConfig } from '../config.ts';
import { AsyncInvocation, type AlarmSpec, type AsyncInvocationProps } from './async-invocation.ts';

/** Powertools metrics namespace and service name: the functions' environment and the metrics below share them. */
export const METRICS_NAMESPACE = 'SmsMfa';
/** Refused sends per 5 minutes that alarm: a handful is an attack being stopped, worth a look. */
export const SEND_BLOCKED_ALARM_THRESHOLD = 10;
/** Side-path failures per 5 minutes that alarm: one is a blip (a throttled write), a few in a row are not. */
export const SIDE_EFFECT_ALARM_THRESHOLD = 5;
/** api.md issue 13: the alarm fires when a send has used this much of a spend budget. */
export const BUDGET_ALARM_PERCENT = 80;
export const SERVICE_NAME = 'sms-mfa';

/**
 * Every count is also emitted with the `service` dimension alone (powertools-telemetry.ts): the
 * service-wide total, whatever the purpose, reason or gateway type. Alarms watch these totals.
 */
const SERVICE_DIMENSIONS = { service: SERVICE_NAME };

/** Every alarm evaluates one 5-minute period: long enough to smooth single requests, short enough to page early. */
const PERIOD = Duration.minutes(5);

/**
 * A CloudWatch alarm on metric math may reference at most 10 metrics (a hard limit; CloudFormation
 * rejects more). The service has more functions than that, so the Lambda error and throttle alarms
 * each cover a group of at most 10: 3 + 3 alarms for 24 functions. The alternatives were worse:
 * per-function alarms (2 x 24), a Metrics Insights query (the WHERE operators documented for it, =, !=
 * and AND, cannot pick a set of functions by name), or the account-wide Lambda metrics without a
 * FunctionName dimension (they count every other workload in the account and region too).
 */
export const MAX_METRICS_PER_ALARM = 10;

/** The 5xx rate is only judged with more requests than this in the period: 1 failure in 3 requests is not a 33% outage. */
export const MIN_REQUESTS_FOR_5XX_RATE = 20;
/** Percent of requests answered 5xx above which the API alarm fires. */
export const API_5XX_RATE_THRESHOLD = 1;
/**
 * The provider failure rate is only judged with at least this many attempts in the period: at night a
 * single timed-out attempt, retried successfully, would otherwise read as a 50% failure rate.
 */
export const MIN_PROVIDER_ATTEMPTS = 5;
/** Delivered per receipt (delivered + failed/undelivered) below which the delivery-rate alarm fires. */
export const DELIVERY_RATE_ALARM_PERCENT = 80;
/** The delivery rate is only judged with at least this many receipts in the period. */
export const MIN_RECEIPTS_FOR_DELIVERY_RATE = 20;
/** The approval ratio is only judged with at least this many codes sent in the period. */
export const MIN_SENDS_FOR_APPROVAL_RATIO = 20;

export interface MonitoringProps {
  config: StackConfig;
  /** The HTTP API stage clients call; its 5xx, Count and Latency metrics. */
  httpStage: IHttpStage;
  /** Every function of the service (route functions and the authorizer), by route id. */
  functions: ReadonlyMap<string, IFunction>;
  table: ITable;
  /** The table's global secondary indexes: DynamoDB reports their throttling separately from the table's. */
  tableIndexNames: readonly string[];
  /** Asynchronously invoked functions: each gets its failure path and alarms (AsyncInvocation). */
  asyncFunctions?: readonly Omit<
    AsyncInvocationProps,
    'alarms' | 'encryptionKey' | 'removalPolicy' | 'queueName'
  >[];
  /** Encrypts the failure queues. */
  queueKey: IKey;
}

/**
 * Alarms on what breaks or gets abused (API 5xx rate, Lambda errors and throttles, SMS provider
 * failures, a spike in codes sent, DynamoDB throttling), all notifying one encrypted SNS topic (and an
 * e-mail address when configured), and one dashboard with the same metrics plus latency and outcomes.
 */
export class Monitoring extends Construct {
  readonly topic: Topic;
  readonly dashboard: Dashboard;
  readonly alarms: Alarm[] = [];
  /** By function name given in `asyncFunctions`. */
  readonly asyncInvocations = new Map<string, AsyncInvocation>();
  private readonly alarmNamePrefix: string;
  private readonly action: SnsAction;

  constructor(scope: Construct, id: string, props: MonitoringProps) {
    super(scope, id);
    const { config } = props;
    this.alarmNamePrefix = `sms-mfa-${config.stage}-`;

    this.topic = this.alarmTopic(config);
    this.action = new SnsAction(this.topic);
    if (config.alarmEmail) {
      const subscription = this.topic.addSubscription(new EmailSubscription(config.alarmEmail));
      Validations.of(subscription).acknowledge({
        id: 'Serverless-SNSRedrivePolicy',
        reason:
          'An e-mail subscription that tells a person an alarm changed state. A lost e-mail loses no data: the ' +
          'alarm state and its history stay in CloudWatch and on the dashboard, and an alarm still in ALARM is ' +
          'seen there. A dead-letter queue nobody reads would add a queue (and its own alarms) for nothing.',
      });
    }

    const api = apiMetrics(props.httpStage);
    const fns = [...props.functions].map(([routeId, fn]) => ({ routeId, fn }));
    if (fns.length === 0) throw new Error('Monitoring needs at least one function');
    const service = serviceMetrics();
    const dynamo = dynamoThrottleMetrics(props.table, props.tableIndexNames);

    // a. API 5xx rate.
    const api5xxRate = new MathExpression({
      expression: `IF(requests > ${MIN_REQUESTS_FOR_5XX_RATE}, 100 * FILL(errors, 0) / requests, 0)`,
      usingMetrics: { requests: api.count, errors: api.serverErrors },
      period: PERIOD,
      label: 'API 5xx rate (%)',
    });
    this.addAlarm('Api5xxRate', 'api-5xx-rate', {
      metric: api5xxRate,
      threshold: API_5XX_RATE_THRESHOLD,
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      description:
        `More than ${API_5XX_RATE_THRESHOLD}% of HTTP API requests were answered with a 5xx status in 5 minutes ` +
        `(judged only with more than ${MIN_REQUESTS_FOR_5XX_RATE} requests). Clients are failing to send or ` +
        'verify codes. Look at the Lambda errors and throttles and DynamoDB throttles on the dashboard, then ' +
        "the API access log group (status, integrationError, authorizerError, errorMessage) and the failing route's " +
        'function log group. If it started with a deployment, roll back.',
    });

    // b, c. Lambda errors and throttles, in groups of at most MAX_METRICS_PER_ALARM functions.
    const groups = chunk(fns, MAX_METRICS_PER_ALARM);
    groups.forEach((group, i) => {
      const n = i + 1;
      const of = groups.length > 1 ? ` (group ${n} of ${groups.length})` : '';
      const names = group.map((f) => f.routeId).join(', ');
      this.addAlarm(`LambdaErrors${n}`, `lambda-errors-${n}`, {
        metric: sumOf(group.map((f) => f.fn.metricErrors({ period: PERIOD, statistic: Stats.SUM }))),
        threshold: 1,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        description:
          `A function crashed${of}: at least one invocation ended in an unhandled error or timeout in 5 minutes. ` +
          'Handled failures are answered with an error response and not counted, so this is a bug, a timeout ' +
          `(often a slow SMS provider or DynamoDB) or running out of memory. Functions: ${names}. Read ` +
          `/aws/lambda/sms-mfa-${config.stage}-<function> and its X-Ray traces; roll back if a deployment caused it.`,
      });
      this.addAlarm(`LambdaThrottles${n}`, `lambda-throttles-${n}`, {
        metric: sumOf(group.map((f) => f.fn.metricThrottles({ period: PERIOD, statistic: Stats.SUM }))),
        threshold: 1,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        description:
          `Lambda refused to run a function${of}: at least one throttled invocation in 5 minutes, answered ` +
          "to the caller as a 5xx. The account's concurrent executions in this region are used up (this stack " +
          'reserves none). Check the account-wide ConcurrentExecutions metric and other workloads in the ' +
          'account, ask for a higher quota, or lower the API throttleRate/throttleBurst if the traffic is abusive. ' +
          `Functions: ${names}.`,
      });
    });

    // d. SMS provider failure rate. SUM([...]) counts attempts even when one of the two metrics has no
    // data (a provider that fails every attempt emits no ProviderSend at all).
    const providerFailureRate = percentOf(
      ['failures', service.providerFailure],
      ['sends', service.providerSend],
      { minimum: MIN_PROVIDER_ATTEMPTS, otherwise: 0, label: 'Provider failure rate (%)' },
    );
    this.addAlarm('ProviderFailureRate', 'provider-failure-rate', {
      metric: providerFailureRate,
      threshold: config.providerFailureRateThreshold,
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      description:
        `More than ${config.providerFailureRateThreshold}% of SMS provider attempts failed in 5 minutes ` +
        `(ProviderFailure / (ProviderFailure + ProviderSend), judged with at least ${MIN_PROVIDER_ATTEMPTS} ` +
        'attempts). Users may not be getting their codes. The dashboard splits failures by gateway type and ' +
        "kind (invalid-number is the recipient's fault; timeouts, 5xx and auth failures are the provider's or " +
        "ours); the logs have a 'provider refused or failed' warning per attempt. Check the provider's status " +
        'and credentials (POST /admin/gateways/{gatewayId}/test) and link a second gateway for failover.',
    });

    // e. Spike in codes sent: SMS pumping (toll fraud) shows up as many more codes than logins.
    this.addAlarm('CodesSentSpike', 'codes-sent-spike', {
      metric: service.codeSent,
      threshold: config.codesSentAlarmThreshold,
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      description:
        `More than ${config.codesSentAlarmThreshold} one-time codes were sent by SMS in 5 minutes (CodeSent). ` +
        'Either traffic grew or someone is pumping SMS (toll fraud: bots requesting codes for premium or ' +
        'high-cost numbers, paid for by you). Compare codes sent with verifications approved on the dashboard ' +
        '(pumped codes are never verified) and find the callers in the API access logs; revoke abusive API ' +
        'keys and tighten send limits. If the traffic is real, raise the codesSentAlarmThreshold context value.',
    });

    // f. DynamoDB throttling on the table and its indexes.
    this.addAlarm('DynamoDbThrottles', 'dynamodb-throttles', {
      metric: sumOf(dynamo.map((d) => d.metric)),
      threshold: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      description:
        'DynamoDB throttled at least one read or write on the service table or its indexes in 5 minutes ' +
        '(ReadThrottleEvents + WriteThrottleEvents). The table is on-demand, so this is a hot partition (one ' +
        'phone number, user or counter hit very hard) or a jump far above recent traffic. Throttled requests ' +
        'are retried by the SDK, then fail as 5xx. Find the hot key and its caller in the access logs; a ' +
        'single caller hammering one number is abuse, so revoke its key or lower the API throttling.',
    });

    // g. Refused API keys: a flood of junk or revoked keys (credential stuffing, a leaked and revoked key
    // still in use). Each one invokes the authorizer, and on a cache miss a route function too.
    this.addAlarm('ApiKeyRefusedSpike', 'api-key-refused-spike', {
      metric: service.apiKeyRefused,
      threshold: config.apiKeyRefusedAlarmThreshold,
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      description:
        `More than ${config.apiKeyRefusedAlarmThreshold} requests with an unknown, malformed or revoked API key in 5 ` +
        'minutes (ApiKeyRefused, from the authorizer). Someone is guessing keys or a client still uses a revoked ' +
        "one. Run the saved Logs Insights query 'top source IPs by status' on the access log; the WAF's rate rule on " +
        'the Authorization header absorbs floods of one value. Block persistent sources in the WAF.',
    });

    // h. SMS spend this month (Amazon SNS only; third-party providers bill outside AWS).
    this.addAlarm('SmsMonthlySpend', 'sms-monthly-spend', {
      metric: new Metric({
        namespace: 'AWS/SNS',
        metricName: 'SMSMonthToDateSpentUSD',
        period: PERIOD,
        statistic: Stats.MAXIMUM,
        label: 'SNS SMS spend this month (USD)',
      }),
      threshold: config.smsMonthlySpendAlarmUsd,
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      description:
        `Amazon SNS SMS spend in this account and region passed ${config.smsMonthlySpendAlarmUsd} USD this month ` +
        "(AWS/SNS SMSMonthToDateSpentUSD, all of the account's SMS, not only this stack's). Compare codes sent " +
        "with approvals on the dashboard: pumped codes are never approved. At the account's SNS MonthlySpendLimit " +
        'SNS stops sending altogether.',
    });

    // i. Approved / sent: SMS pumping sends codes that nobody verifies.
    const approvalRatio = new MathExpression({
      expression: `IF(FILL(sent, 0) >= ${MIN_SENDS_FOR_APPROVAL_RATIO}, 100 * FILL(approved, 0) / sent, 100)`,
      usingMetrics: { sent: service.codeSent, approved: service.verificationApproved },
      period: PERIOD,
      label: 'Codes approved per code sent (%)',
    });
    this.addAlarm('ApprovalRatioLow', 'approval-ratio-low', {
      metric: approvalRatio,
      threshold: config.approvalRatioAlarmPercent,
      comparisonOperator: ComparisonOperator.LESS_THAN_THRESHOLD,
      description:
        `Fewer than ${config.approvalRatioAlarmPercent}% of the codes sent in 5 minutes were approved (judged with at ` +
        `least ${MIN_SENDS_FOR_APPROVAL_RATIO} codes sent). Codes that nobody enters are the mark of SMS pumping ` +
        "(toll fraud), or of messages that do not arrive. Run the saved queries 'refused sends by reason' and " +
        "'top API keys by status'; check delivery (the provider's console, SNS delivery-status logs).",
    });

    // j. Delivery receipts: a drop in the share of codes the providers report as delivered.
    const deliveryRate = percentOf(
      ['delivered', service.smsDelivered],
      ['undelivered', service.smsDeliveryFailed],
      { minimum: MIN_RECEIPTS_FOR_DELIVERY_RATE, otherwise: 100, label: 'Receipts that say delivered (%)' },
    );
    this.addAlarm('DeliveryRateLow', 'delivery-rate-low', {
      metric: deliveryRate,
      threshold: DELIVERY_RATE_ALARM_PERCENT,
      comparisonOperator: ComparisonOperator.LESS_THAN_THRESHOLD,
      description:
        `Fewer than ${DELIVERY_RATE_ALARM_PERCENT}% of the delivery receipts of 5 minutes said delivered ` +
        `(SmsDelivered / (SmsDelivered + SmsDeliveryFailed), judged with at least ${MIN_RECEIPTS_FOR_DELIVERY_RATE} ` +
        'receipts). Codes are accepted but do not reach phones. The dashboard splits receipts by gateway type and ' +
        'country: one country points at a carrier or sender-ID rule there, one gateway type at that provider (its ' +
        'status page and console). Link a second gateway for failover; GET /admin/identity-stores/{storeId}/' +
        'challenges/{challengeId} shows the sends of one challenge with their delivery status.',
    });

    // j. The fraud guard refused sends: an attack on a range, a country or from an address is under way.
    this.addAlarm('SendBlocked', 'send-blocked', {
      metric: service.sendBlocked,
      threshold: SEND_BLOCKED_ALARM_THRESHOLD,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      description:
        `The fraud guard or a spend limit refused at least ${SEND_BLOCKED_ALARM_THRESHOLD} sends in 5 minutes ` +
        '(SendBlocked, 422 send-blocked; no provider was called). The dashboard splits them by reason and country. ' +
        'List the active blocks (npm run admin -- blocks list <storeId>): a prefix or country block with few ' +
        'approvals is SMS pumping and needs nothing but watching; lift a block that hits real users (blocks lift) ' +
        'and raise the store fraudGuard limit that caught them.',
    });

    // k. A spend budget 80 % used: BudgetUsedPercent is each send's fill of its store or country budget.
    this.addAlarm('SpendBudget80Percent', 'spend-budget-80-percent', {
      metric: service.budgetUsedPercent,
      threshold: BUDGET_ALARM_PERCENT,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      description:
        `A send used ${BUDGET_ALARM_PERCENT}% or more of an identity store's daily spend budget (spendLimits.dailyBudget ` +
        'or a countryDailyBudget; BudgetUsedPercent, maximum over 5 minutes). At 100% every further send of that ' +
        'budget is refused (store-budget / country-budget) until the UTC day ends. The dashboard shows the level ' +
        'by budget and country and EstimatedSpend by country: pumping shows as spend in one country without ' +
        'approvals. Raise the budget if the traffic is real, else leave it to refuse the rest.',
    });

    // l. Side paths failed: answers stood, but events, webhooks, metrics or send records went missing.
    this.addAlarm('SideEffectFailed', 'side-effect-failed', {
      metric: service.sideEffectFailed,
      threshold: SIDE_EFFECT_ALARM_THRESHOLD,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      description:
        `At least ${SIDE_EFFECT_ALARM_THRESHOLD} side paths failed in 5 minutes (SideEffectFailed). The answers ` +
        'stood, but what the kind names is missing: event-publish (events and webhooks: check the bus and the ' +
        "functions' events:PutEvents), send-record and receipt-pointer (challenge history and delivery receipts: " +
        'DynamoDB throttles or errors), metrics, webhook-dispatch (local mode only), event-guard (an emitter put a code or number in an event: a bug, ' +
        'report it). The WARN lines "side effect failed" in the functions\' logs name the kind, the error and the event.',
    });

    for (const spec of props.asyncFunctions ?? []) {
      const id = spec.name.replace(/(^|-)([a-z])/g, (_m, _d, c: string) => c.toUpperCase());
      this.asyncInvocations.set(
        spec.name,
        new AsyncInvocation(this, id, {
          ...spec,
          queueName: `${this.alarmNamePrefix}${spec.name}-failed`,
          encryptionKey: props.queueKey,
          removalPolicy: cdkRemovalPolicy(config),
          alarms: this,
        }),
      );
    }

    this.dashboard = new Dashboard(this, 'Dashboard', {
      // Dashboard names are global to the account: the region lets a second region deploy the same stage.
      dashboardName: `sms-mfa-${config.stage}-${Aws.REGION}`,
      defaultInterval: Duration.hours(3),
    });
    this.dashboard.addWidgets(
      new AlarmStatusWidget({
        title: 'Alarms',
        alarms: this.alarms,
        width: 24,
        height: 2 + Math.ceil(this.alarms.length / 4),
      }),
    );
    const allFunctions = (metric: (fn: IFunction) => Metric, idPrefix: string, label: string) =>
      sumOf(
        fns.map((f) => metric(f.fn)),
        idPrefix,
        label,
      );
    this.dashboard.addWidgets(
      graph('API requests and errors', [api.count, api.clientErrors, api.serverErrors]),
      graph('API 5xx rate (%)', [api5xxRate], API_5XX_RATE_THRESHOLD),
      graph('API latency (ms)', [api.latency('p50'), api.latency('p95'), api.latency('p99')]),
    );
    this.dashboard.addWidgets(
      graph('Lambda invocations, errors and throttles (all functions)', [
        allFunctions(
          (fn) => fn.metricInvocations({ period: PERIOD, statistic: Stats.SUM }),
          'inv',
          'Invocations',
        ),
        allFunctions((fn) => fn.metricErrors({ period: PERIOD, statistic: Stats.SUM }), 'err', 'Errors'),
        allFunctions(
          (fn) => fn.metricThrottles({ period: PERIOD, statistic: Stats.SUM }),
          'thr',
          'Throttles',
        ),
      ]),
      graph(
        'Lambda duration p95 by function (ms)',
        fns.map((f) => f.fn.metricDuration({ period: PERIOD, statistic: Stats.p(95), label: f.routeId })),
      ),
      graph(
        'DynamoDB throttle events',
        dynamo.map((d) => d.metric),
      ),
    );
    this.dashboard.addWidgets(
      graph('Codes sent', [service.codeSent], config.codesSentAlarmThreshold),
      graph('Verifications and refused sends', [
        service.verificationAttempt,
        service.verificationApproved,
        service.verificationRefused,
        service.sendRefused,
      ]),
      graph('SMS provider attempts', [service.providerSend, service.providerFailure]),
    );
    const byDimensions = (dimensions: string, metric: string, stat = 'Sum') =>
      new SearchExpression({
        expression: `SEARCH('{${METRICS_NAMESPACE},${dimensions},service} MetricName="${metric}"', '${stat}', ${PERIOD.toSeconds()})`,
        period: PERIOD,
      });
    // The fraud guard and spend limits (issue 13): blocks, spend, and conversion by country.
    this.dashboard.addWidgets(
      graph(
        'Blocked and flagged sends by reason and country',
        [byDimensions('country,reason', 'SendBlocked'), byDimensions('country,reason', 'SendFlagged')],
        SEND_BLOCKED_ALARM_THRESHOLD,
      ),
      graph('Estimated spend by country', [byDimensions('country', 'EstimatedSpend')]),
      graph(
        'Budget used (%) by budget and country',
        [byDimensions('budget,country', 'BudgetUsedPercent', 'Maximum')],
        BUDGET_ALARM_PERCENT,
      ),
      // A low line of approvals under a high line of codes in one country is pumping.
      graph('Conversion by country: codes sent and approved', [
        byDimensions('country,purpose', 'CodeSent'),
        byDimensions('country,purpose', 'VerificationApproved'),
      ]),
    );
    this.dashboard.addWidgets(
      graph('SMS provider failure rate (%)', [providerFailureRate], config.providerFailureRateThreshold),
      graph('SMS provider failures by gateway type and kind', [
        new SearchExpression({
          expression: `SEARCH('{${METRICS_NAMESPACE},gatewayType,kind,service} MetricName="ProviderFailure"', 'Sum', ${PERIOD.toSeconds()})`,
          period: PERIOD,
        }),
      ]),
      graph('SMS provider latency p95 by gateway type (ms)', [
        new SearchExpression({
          expression: `SEARCH('{${METRICS_NAMESPACE},gatewayType,service} MetricName="ProviderLatency"', 'p95', ${PERIOD.toSeconds()})`,
          period: PERIOD,
        }),
      ]),
    );
    const byGatewayAndCountry = (metricName: string, statistic: string) =>
      new SearchExpression({
        expression: `SEARCH('{${METRICS_NAMESPACE},country,gatewayType,service} MetricName="${metricName}"', '${statistic}', ${PERIOD.toSeconds()})`,
        period: PERIOD,
      });
    this.dashboard.addWidgets(
      graph('SMS delivery rate (%)', [deliveryRate], DELIVERY_RATE_ALARM_PERCENT),
      graph('Delivery receipts by gateway type and country', [
        byGatewayAndCountry('SmsDelivered', 'Sum'),
        byGatewayAndCountry('SmsDeliveryFailed', 'Sum'),
      ]),
      graph('Time to delivery p95 by gateway type and country (ms)', [
        byGatewayAndCountry('TimeToDelivery', 'p95'),
      ]),
    );
  }

  /**
   * The alarm topic, encrypted with a key of its own. Not the AWS managed `alias/aws/sns` key: its key
   * policy cannot be changed, so CloudWatch could not use it and every alarm notification to the topic
   * would be dropped (SNS "compatibility between event sources from AWS services and encrypted topics").
   * CloudWatch may use the key and publish to the topic only for this stage's alarms in this account.
   */
  private alarmTopic(config: StackConfig): Topic {
    const fromTheseAlarms = {
      StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID },
      ArnLike: {
        'aws:SourceArn': Stack.of(this).formatArn({
          service: 'cloudwatch',
          resource: 'alarm',
          resourceName: `${this.alarmNamePrefix}*`,
          arnFormat: ArnFormat.COLON_RESOURCE_NAME,
        }),
      },
    };
    const cloudWatch = new ServicePrincipal('cloudwatch.amazonaws.com');
    const key = new Key(this, 'AlarmTopicKey', {
      description: `sms-mfa ${config.stage}: encrypts alarm notifications on the alarm topic`,
      enableKeyRotation: true,
      removalPolicy: cdkRemovalPolicy(config),
    });
    key.addToResourcePolicy(
      new PolicyStatement({
        sid: 'CloudWatchAlarmsEncryptNotifications',
        principals: [cloudWatch],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
        conditions: fromTheseAlarms,
      }),
    );
    const topic = new Topic(this, 'AlarmTopic', {
      topicName: `sms-mfa-${config.stage}-alarms`,
      displayName: `sms-mfa ${config.stage} alarms`,
      masterKey: key,
      enforceSSL: true,
    });
    // The topic policy CDK writes for enforceSSL replaces SNS's default one, so CloudWatch needs an explicit Allow.
    topic.addToResourcePolicy(
      new PolicyStatement({
        sid: 'CloudWatchAlarmsPublish',
        principals: [cloudWatch],
        actions: ['sns:Publish'],
        resources: [topic.topicArn],
        conditions: fromTheseAlarms,
      }),
    );
    return topic;
  }

  /** Adds an alarm that notifies the alarm topic and appears on the dashboard; its name gets the stage prefix. */
  addAlarm(id: string, name: string, props: AlarmSpec): Alarm {
    const alarm = new Alarm(this, id, {
      alarmName: `${this.alarmNamePrefix}${name}`,
      alarmDescription: props.description,
      metric: props.metric,
      threshold: props.threshold,
      comparisonOperator: props.comparisonOperator,
      evaluationPeriods: 1,
      datapointsToAlarm: 1,
      // No traffic is not a failure; every metric here is absent when nothing happens.
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    // OK too, so whoever got the alarm also learns that it is over.
    alarm.addAlarmAction(this.action);
    alarm.addOkAction(this.action);
    this.alarms.push(alarm);
    return alarm;
  }
}

function apiMetrics(stage: IHttpStage) {
  // HTTP APIs report `5xx`, `4xx`, `Count` and `Latency` with the dimensions ApiId and Stage. Count is
  // summed: the stage's metricCount() defaults to SampleCount.
  return {
    count: stage.metricCount({ period: PERIOD, statistic: Stats.SUM, label: 'Requests' }),
    clientErrors: stage.metricClientError({ period: PERIOD, statistic: Stats.SUM, label: '4xx' }),
    serverErrors: stage.metricServerError({ period: PERIOD, statistic: Stats.SUM, label: '5xx' }),
    latency: (percentile: 'p50' | 'p95' | 'p99') =>
      stage.metricLatency({ period: PERIOD, statistic: percentile, label: percentile }),
  };
}

function serviceMetrics() {
  const count = (metricName: string) =>
    new Metric({
      namespace: METRICS_NAMESPACE,
      metricName,
      dimensionsMap: SERVICE_DIMENSIONS,
      period: PERIOD,
      statistic: Stats.SUM,
      label: metricName,
    });
  return {
    codeSent: count('CodeSent'),
    sendRefused: count('SendRefused'),
    verificationAttempt: count('VerificationAttempt'),
    verificationApproved: count('VerificationApproved'),
    verificationRefused: count('VerificationRefused'),
    providerSend: count('ProviderSend'),
    providerFailure: count('ProviderFailure'),
    apiKeyRefused: count('ApiKeyRefused'),
    smsDelivered: count('SmsDelivered'),
    smsDeliveryFailed: count('SmsDeliveryFailed'),
    sendBlocked: count('SendBlocked'),
    sendFlagged: count('SendFlagged'),
    sideEffectFailed: count('SideEffectFailed'),
    estimatedSpend: count('EstimatedSpend'),
    budgetUsedPercent: new Metric({
      namespace: METRICS_NAMESPACE,
      metricName: 'BudgetUsedPercent',
      dimensionsMap: SERVICE_DIMENSIONS,
      period: PERIOD,
      statistic: Stats.MAXIMUM,
      label: 'Budget used (%), fullest',
    }),
  };
}

/**
 * Read and write throttle events of the table and of each index. ThrottledRequests would need one
 * metric per operation (its dimensions are TableName and Operation), more than an alarm may hold.
 */
function dynamoThrottleMetrics(table: ITable, indexNames: readonly string[]) {
  const targets = [
    { label: 'table', dimensions: { TableName: table.tableName } },
    ...indexNames.map((indexName) => ({
      label: indexName,
      dimensions: { TableName: table.tableName, GlobalSecondaryIndexName: indexName },
    })),
  ];
  return targets.flatMap(({ label, dimensions }) =>
    (['ReadThrottleEvents', 'WriteThrottleEvents'] as const).map((metricName) => ({
      metric: new Metric({
        namespace: 'AWS/DynamoDB',
        metricName,
        dimensionsMap: dimensions,
        period: PERIOD,
        statistic: Stats.SUM,
        label: `${label} ${metricName}`,
      }),
    })),
  );
}

/**
 * The per-period sum of several metrics. SUM([...]) adds what is there, so one metric without data does
 * not blank the result. `idPrefix` keeps the metric ids apart when several sums share one graph.
 */
/**
 * 100 × part / (part + rest) in the period, judged only with at least `minimum` of both (else
 * `otherwise`). SUM([...]) counts even when one of the two metrics has no data.
 */
function percentOf(
  [partName, part]: [string, IMetric],
  [restName, rest]: [string, IMetric],
  judged: { minimum: number; otherwise: number; label: string },
): MathExpression {
  const both = `SUM([${partName}, ${restName}])`;
  return new MathExpression({
    expression: `IF(${both} >= ${judged.minimum}, 100 * FILL(${partName}, 0) / ${both}, ${judged.otherwise})`,
    usingMetrics: { [partName]: part, [restName]: rest },
    period: PERIOD,
    label: judged.label,
  });
}

function sumOf(metrics: IMetric[], idPrefix = 'm', label?: string): MathExpression {
  const usingMetrics = Object.fromEntries(metrics.map((m, i) => [`${idPrefix}${i}`, m]));
  return new MathExpression({
    expression: `SUM([${Object.keys(usingMetrics).join(', ')}])`,
    usingMetrics,
    period: PERIOD,
    ...(label ? { label } : {}),
  });
}

/** Splits `items` into the fewest groups of at most `max`, as even as possible (24 -> 8, 8, 8). */
export function chunk<T>(items: readonly T[], max: number): T[][] {
  const groups = Math.ceil(items.length / max);
  const size = Math.ceil(items.length / groups);
  return Array.from({ length: groups }, (_, i) => items.slice(i * size, (i + 1) * size)).filter(
    (group) => group.length > 0,
  );
}

function graph(title: string, metrics: IMetric[], threshold?: number): IWidget {
  return new GraphWidget({
    title,
    left: metrics,
    width: 8,
    height: 6,
    ...(threshold !== undefined ? { leftAnnotations: [{ value: threshold, label: 'alarm threshold' }] } : {}),
  });
}
