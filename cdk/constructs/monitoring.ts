import { Validations } from 'aws-cdk-lib';
import type { IHttpStage } from 'aws-cdk-lib/aws-apigatewayv2';
import {
  Alarm,
  ComparisonOperator,
  type Dashboard,
  MathExpression,
  Metric,
  Stats,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import { cdkRemovalPolicy, type StackConfig } from '../config.ts';
import { AsyncInvocation, type AlarmSpec, type AsyncInvocationProps } from './async-invocation.ts';

import { alarmTopic } from './alarm-topic.ts';
import { serviceDashboard } from './monitoring-dashboard.ts';
import {
  API_5XX_RATE_THRESHOLD,
  apiMetrics,
  BUDGET_ALARM_PERCENT,
  chunk,
  DELIVERY_RATE_ALARM_PERCENT,
  dynamoThrottleMetrics,
  MAX_METRICS_PER_ALARM,
  METRICS_NAMESPACE,
  MIN_PROVIDER_ATTEMPTS,
  MIN_RECEIPTS_FOR_DELIVERY_RATE,
  MIN_REQUESTS_FOR_5XX_RATE,
  MIN_SENDS_FOR_APPROVAL_RATIO,
  PERIOD,
  percentOf,
  SEND_BLOCKED_ALARM_THRESHOLD,
  SERVICE_DIMENSIONS,
  SIDE_EFFECT_ALARM_THRESHOLD,
  serviceMetrics,
  sumOf,
} from './monitoring-metrics.ts';

export {
  API_5XX_RATE_THRESHOLD,
  BUDGET_ALARM_PERCENT,
  chunk,
  DELIVERY_RATE_ALARM_PERCENT,
  MAX_METRICS_PER_ALARM,
  METRICS_NAMESPACE,
  MIN_PROVIDER_ATTEMPTS,
  MIN_RECEIPTS_FOR_DELIVERY_RATE,
  MIN_REQUESTS_FOR_5XX_RATE,
  MIN_SENDS_FOR_APPROVAL_RATIO,
  SEND_BLOCKED_ALARM_THRESHOLD,
  SERVICE_NAME,
  SIDE_EFFECT_ALARM_THRESHOLD,
} from './monitoring-metrics.ts';

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

    this.topic = alarmTopic(this, config, this.alarmNamePrefix);
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

    this.dashboard = serviceDashboard(this, {
      config,
      alarms: this.alarms,
      fns,
      api,
      api5xxRate,
      dynamo,
      service,
      providerFailureRate,
      deliveryRate,
    });
  }

  /** A count the service's functions emit (Powertools metrics: this namespace, the service dimension). */
  serviceMetric(metricName: string): Metric {
    return new Metric({
      namespace: METRICS_NAMESPACE,
      metricName,
      dimensionsMap: SERVICE_DIMENSIONS,
      period: PERIOD,
      statistic: Stats.SUM,
      label: metricName,
    });
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
