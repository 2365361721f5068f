import { ComparisonOperator, Stats } from 'aws-cdk-lib/aws-cloudwatch';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { AlarmSink } from './alarm-sink.ts';
import { chunk, MAX_METRICS_PER_ALARM, PERIOD, sumOf } from './monitoring-metrics.ts';

/** Errors and throttles of the service's functions, in groups of at most MAX_METRICS_PER_ALARM functions. */
export function functionAlarms(
  sink: AlarmSink,
  fns: readonly { routeId: string; fn: IFunction }[],
  stage: string,
): void {
  const groups = chunk(fns, MAX_METRICS_PER_ALARM);
  groups.forEach((group, i) => {
    const n = i + 1;
    const of = groups.length > 1 ? ` (group ${n} of ${groups.length})` : '';
    const names = group.map((f) => f.routeId).join(', ');
    sink.addAlarm(`LambdaErrors${n}`, `lambda-errors-${n}`, {
      metric: sumOf(group.map((f) => f.fn.metricErrors({ period: PERIOD, statistic: Stats.SUM }))),
      threshold: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      description:
        `A function crashed${of}: at least one invocation ended in an unhandled error or timeout in 5 minutes. ` +
        'Handled failures are answered with an error response and not counted, so this is a bug, a timeout ' +
        `(often a slow SMS provider or DynamoDB) or running out of memory. Functions: ${names}. Read ` +
        `/aws/lambda/sms-mfa-${stage}-<function> and its X-Ray traces; roll back if a deployment caused it.`,
    });
    sink.addAlarm(`LambdaThrottles${n}`, `lambda-throttles-${n}`, {
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
}
