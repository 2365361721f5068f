import { Duration } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';

/**
 * An alarm on a failure or dead-letter queue that should stay empty: any visible message breaches it
 * (the description is its runbook line).
 */
export function queueNotEmptyAlarm(
  scope: Construct,
  id: string,
  queue: IQueue,
  props: { alarmName?: string; description: string },
): Alarm {
  return new Alarm(scope, id, {
    ...(props.alarmName ? { alarmName: props.alarmName } : {}),
    alarmDescription: props.description,
    metric: queue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5) }),
    threshold: 0,
    comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
    evaluationPeriods: 1,
    treatMissingData: TreatMissingData.NOT_BREACHING,
  });
}
