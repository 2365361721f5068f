import { Duration, type RemovalPolicy, Validations } from 'aws-cdk-lib';
import { ComparisonOperator, Metric, Stats } from 'aws-cdk-lib/aws-cloudwatch';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct, type IConstruct } from 'constructs';
import type { AlarmSink } from './alarm-sink.ts';

export interface AsyncInvocationProps {
  /** A function that is invoked with `InvocationType: Event`. */
  fn: IFunction;
  /** Names the alarms, `<name>-failed-events` and `<name>-dropped-events` (the sink may prefix them). */
  name: string;
  /** The failure queue's name. */
  queueName: string;
  /** What the function does, for the alarm descriptions. */
  purpose: string;
  /** Lambda's own retries after a failed attempt (0..2; Lambda's default is 2). */
  retryAttempts: number;
  /** Events older than this are not tried again but sent to the failure queue (60 s..6 h; default 6 h). */
  maxEventAge: Duration;
  encryptionKey: IKey;
  removalPolicy: RemovalPolicy;
  alarms: AlarmSink;
}

/**
 * An asynchronously invoked Lambda function's failure path: bounded retries and event age (Lambda's
 * defaults, 2 retries over up to 6 hours, mean duplicate or hours-late work), an encrypted on-failure
 * SQS queue that keeps each failed event with its error for 14 days, and alarms on that queue's depth
 * and on events Lambda dropped without delivering them anywhere.
 */
export class AsyncInvocation extends Construct {
  readonly failureQueue: Queue;

  constructor(scope: Construct, id: string, props: AsyncInvocationProps) {
    super(scope, id);
    const { fn } = props;
    this.failureQueue = new Queue(this, 'FailureQueue', {
      queueName: props.queueName,
      encryption: QueueEncryption.KMS,
      encryptionMasterKey: props.encryptionKey,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
      removalPolicy: props.removalPolicy,
    });
    const reason =
      'This queue is itself the failure destination of an asynchronously invoked function (EventInvokeConfig ' +
      'OnFailure): it holds events that already failed every attempt, for an operator to read and replay. A ' +
      'dead-letter queue behind it would only move them one step further; its depth alarm pages instead.';
    for (const rule of ['AwsSolutions-SQS3', 'Serverless-SQSRedrivePolicy']) {
      Validations.of(this.failureQueue.node.defaultChild as IConstruct).acknowledge({ id: rule, reason });
    }
    fn.configureAsyncInvoke({
      retryAttempts: props.retryAttempts,
      maxEventAge: props.maxEventAge,
      onFailure: new SqsDestination(this.failureQueue),
    });
    // The destination's grant (sqs:SendMessage and the queue key's data-key actions) went into the role's
    // default policy; its wildcards are action families on that one key.
    const defaultPolicy = fn.role?.node.tryFindChild('DefaultPolicy');
    if (defaultPolicy) {
      for (const action of ['kms:GenerateDataKey*', 'kms:ReEncrypt*']) {
        Validations.of(defaultPolicy).acknowledge({
          id: `AwsSolutions-IAM5[Action::${action}]`,
          reason:
            `${action} is in the grant CDK gives a function to send to a KMS-encrypted SQS queue (its on-failure ` +
            'destination); the statement is limited to that queue key, so the wildcard only covers that action ' +
            'family (for example GenerateDataKeyWithoutPlaintext) on one key.',
        });
      }
    }

    props.alarms.addAlarm(`${id}FailedEvents`, `${props.name}-failed-events`, {
      metric: this.failureQueue.metricApproximateNumberOfMessagesVisible({
        period: Duration.minutes(5),
        statistic: Stats.MAXIMUM,
      }),
      threshold: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      description:
        `${props.purpose} failed after ${props.retryAttempts + 1} attempts (or was older than ` +
        `${props.maxEventAge.toHumanString()}) and is waiting in the SQS queue ${props.queueName}. Each message ` +
        "holds the event and the function's error; read the function's log group for the request id, fix " +
        'the cause, then replay or delete the messages. They expire after 14 days.',
    });
    props.alarms.addAlarm(`${id}DroppedEvents`, `${props.name}-dropped-events`, {
      metric: new Metric({
        namespace: 'AWS/Lambda',
        metricName: 'AsyncEventsDropped',
        dimensionsMap: { FunctionName: fn.functionName },
        period: Duration.minutes(5),
        statistic: Stats.SUM,
      }),
      threshold: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      description:
        `Lambda dropped asynchronous events of ${props.purpose} without delivering them to the failure queue ` +
        '(AsyncEventsDropped): the queue refused them (check the function role may send to it and use its ' +
        'KMS key) or the function was deleted. Those events are lost; find them in the caller logs.',
    });
  }
}
