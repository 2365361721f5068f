import type { Alarm, ComparisonOperator, IMetric } from 'aws-cdk-lib/aws-cloudwatch';

/** One alarm: what it watches and when it fires. */
export interface AlarmSpec {
  metric: IMetric;
  threshold: number;
  comparisonOperator: ComparisonOperator;
  description: string;
}

/** Where the construct's alarms go: Monitoring, so they share the alarm topic and the dashboard. */
export interface AlarmSink {
  addAlarm(id: string, name: string, props: AlarmSpec): Alarm;
}
