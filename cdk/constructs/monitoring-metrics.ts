import { Duration } from 'aws-cdk-lib';
import type { IHttpStage } from 'aws-cdk-lib/aws-apigatewayv2';
import {
  GraphWidget,
  type IMetric,
  type IWidget,
  MathExpression,
  Metric,
  Stats,
} from 'aws-cdk-lib/aws-cloudwatch';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';

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
 * Estimated call spend per hour (USD) that alarms: calls are where international revenue-share fraud
 * pays, and at the default 0.10 per call this is 200 calls in an hour.
 */
export const VOICE_SPEND_ALARM_USD_PER_HOUR = 20;

/**
 * Every count is also emitted with the `service` dimension alone (powertools-telemetry.ts): the
 * service-wide total, whatever the purpose, reason or gateway type. Alarms watch these totals.
 */
export const SERVICE_DIMENSIONS = { service: SERVICE_NAME };

/** Every alarm evaluates one 5-minute period: long enough to smooth single requests, short enough to page early. */
export const PERIOD = Duration.minutes(5);

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

export function apiMetrics(stage: IHttpStage) {
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

/** A count the service's functions emit (Powertools metrics: this namespace, the service dimension). */
export function serviceCount(metricName: string): Metric {
  return new Metric({
    namespace: METRICS_NAMESPACE,
    metricName,
    dimensionsMap: SERVICE_DIMENSIONS,
    period: PERIOD,
    statistic: Stats.SUM,
    label: metricName,
  });
}

export function serviceMetrics() {
  const count = serviceCount;
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
    gatewayOpened: count('GatewayOpened'),
    voiceSpend: count('VoiceSpend').with({
      period: Duration.hours(1),
      label: 'Estimated call spend per hour',
    }),
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
export function dynamoThrottleMetrics(table: ITable, indexNames: readonly string[]) {
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
export function percentOf(
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

export function sumOf(metrics: IMetric[], idPrefix = 'm', label?: string): MathExpression {
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

export function graph(title: string, metrics: IMetric[], threshold?: number): IWidget {
  return new GraphWidget({
    title,
    left: metrics,
    width: 8,
    height: 6,
    ...(threshold !== undefined ? { leftAnnotations: [{ value: threshold, label: 'alarm threshold' }] } : {}),
  });
}
