import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import { Duration, type RemovalPolicy, Validations } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { type IQueue, Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { Construct, IConstruct } from 'constructs';

/**
 * A queue that is itself the failure destination of something (an event source mapping, a rule target):
 * SQS-managed encryption (so AWS services can send to it without a key policy), TLS only, 14 days; it
 * has no dead-letter queue of its own, which cdk-nag is told with `reason`.
 */
export function failureQueue(
  scope: Construct,
  id: string,
  props: {
    queueName: string;
    removalPolicy: RemovalPolicy | undefined;
    reason: string;
    /** It is also another queue's dead-letter queue, which cdk-nag's AwsSolutions-SQS3 does not flag. */
    deadLetterOfAQueue?: boolean;
  },
): Queue {
  const queue = new Queue(scope, id, {
    queueName: props.queueName,
    encryption: QueueEncryption.SQS_MANAGED,
    enforceSSL: true,
    retentionPeriod: Duration.days(14),
    ...(props.removalPolicy ? { removalPolicy: props.removalPolicy } : {}),
  });
  const resource = queue.node.defaultChild as IConstruct;
  if (!props.deadLetterOfAQueue)
    Validations.of(resource).acknowledge({ id: 'AwsSolutions-SQS3', reason: props.reason });
  Validations.of(resource).acknowledge({ id: 'Serverless-SQSRedrivePolicy', reason: props.reason });
  return queue;
}

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

/** Sends an alarm's state changes (into ALARM and back to OK) to the operators' topic. */
export function notifyTopic(alarm: Alarm, topic: ITopic): void {
  const action = new SnsAction(topic);
  alarm.addAlarmAction(action);
  alarm.addOkAction(action);
}
