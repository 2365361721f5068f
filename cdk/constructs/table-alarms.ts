import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { ComparisonOperator } from 'aws-cdk-lib/aws-cloudwatch';
import type { AlarmSink } from './alarm-sink.ts';
import { dynamoThrottleMetrics, sumOf } from './monitoring-metrics.ts';

/** Throttling on the service table and its indexes; returns the throttle metrics for the dashboard. */
export function tableAlarms(sink: AlarmSink, table: ITable, indexNames: readonly string[]) {
  const dynamo = dynamoThrottleMetrics(table, indexNames);
  sink.addAlarm('DynamoDbThrottles', 'dynamodb-throttles', {
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
  return dynamo;
}
