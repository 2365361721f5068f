import { Aws, Duration } from 'aws-cdk-lib';
import {
  type Alarm,
  AlarmStatusWidget,
  Dashboard,
  type IMetric,
  type Metric,
  SearchExpression,
  Stats,
} from 'aws-cdk-lib/aws-cloudwatch';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { Construct } from 'constructs';
import type { StackConfig } from '../config.ts';
import {
  API_5XX_RATE_THRESHOLD,
  type apiMetrics,
  BUDGET_ALARM_PERCENT,
  DELIVERY_RATE_ALARM_PERCENT,
  type dynamoThrottleMetrics,
  graph,
  METRICS_NAMESPACE,
  PERIOD,
  SEND_BLOCKED_ALARM_THRESHOLD,
  type serviceMetrics,
  sumOf,
} from './monitoring-metrics.ts';

export interface DashboardInputs {
  config: StackConfig;
  /** Shown at the top, in one status widget; the array itself, so alarms added later (alarmTo) show too. */
  alarms: Alarm[];
  fns: readonly { routeId: string; fn: IFunction }[];
  api: ReturnType<typeof apiMetrics>;
  api5xxRate: IMetric;
  dynamo: ReturnType<typeof dynamoThrottleMetrics>;
  service: ReturnType<typeof serviceMetrics>;
  providerFailureRate: IMetric;
  deliveryRate: IMetric;
}

/** The service dashboard: the alarms' metrics, plus latency, outcomes, spend and delivery by dimension. */
export function serviceDashboard(scope: Construct, inputs: DashboardInputs): Dashboard {
  const { config, alarms, fns, api, api5xxRate, dynamo, service, providerFailureRate, deliveryRate } = inputs;
  const dashboard = new Dashboard(scope, 'Dashboard', {
    // Dashboard names are global to the account: the region lets a second region deploy the same stage.
    dashboardName: `sms-mfa-${config.stage}-${Aws.REGION}`,
    defaultInterval: Duration.hours(3),
  });
  dashboard.addWidgets(
    new AlarmStatusWidget({
      title: 'Alarms',
      alarms,
      width: 24,
      height: 2 + Math.ceil(alarms.length / 4),
    }),
  );
  const allFunctions = (metric: (fn: IFunction) => Metric, idPrefix: string, label: string) =>
    sumOf(
      fns.map((f) => metric(f.fn)),
      idPrefix,
      label,
    );
  dashboard.addWidgets(
    graph('API requests and errors', [api.count, api.clientErrors, api.serverErrors]),
    graph('API 5xx rate (%)', [api5xxRate], API_5XX_RATE_THRESHOLD),
    graph('API latency (ms)', [api.latency('p50'), api.latency('p95'), api.latency('p99')]),
  );
  dashboard.addWidgets(
    graph('Lambda invocations, errors and throttles (all functions)', [
      allFunctions(
        (fn) => fn.metricInvocations({ period: PERIOD, statistic: Stats.SUM }),
        'inv',
        'Invocations',
      ),
      allFunctions((fn) => fn.metricErrors({ period: PERIOD, statistic: Stats.SUM }), 'err', 'Errors'),
      allFunctions((fn) => fn.metricThrottles({ period: PERIOD, statistic: Stats.SUM }), 'thr', 'Throttles'),
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
  dashboard.addWidgets(
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
  dashboard.addWidgets(
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
  dashboard.addWidgets(
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
  dashboard.addWidgets(
    graph('SMS delivery rate (%)', [deliveryRate], DELIVERY_RATE_ALARM_PERCENT),
    graph('Delivery receipts by gateway type and country', [
      byGatewayAndCountry('SmsDelivered', 'Sum'),
      byGatewayAndCountry('SmsDeliveryFailed', 'Sum'),
    ]),
    graph('Time to delivery p95 by gateway type and country (ms)', [
      byGatewayAndCountry('TimeToDelivery', 'p95'),
    ]),
  );
  // Gateway health and conversion per gateway (issue 26): transport outcomes and openings by gateway
  // id, and messages accepted against approvals credited to each gateway, by country.
  dashboard.addWidgets(
    graph('Gateway health: transport outcomes by gateway', [
      byDimensions('gatewayId,outcome', 'GatewayTransport'),
    ]),
    graph('Gateway openings by gateway', [byDimensions('gatewayId', 'GatewayOpened')]),
    graph('Conversion by gateway and country: messages accepted and approved', [
      byDimensions('country,gatewayId', 'GatewayAccepted'),
      byDimensions('country,gatewayId', 'GatewayApproved'),
    ]),
  );
  return dashboard;
}
