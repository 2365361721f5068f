import { Duration, Validations } from 'aws-cdk-lib';
import type { Alarm } from 'aws-cdk-lib/aws-cloudwatch';
import type { CfnTable, Table } from 'aws-cdk-lib/aws-dynamodb';
import { Policy, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import { EventSourceMapping, FilterCriteria, StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { tableStreamAggregator } from '../../shared/routes.ts';
import { type AccessTargets, grantRouteAccess } from './grants.ts';
import { failureQueue, notifyTopic, queueNotEmptyAlarm } from './queue-alarm.ts';
import { RouteFunction, type RouteFunctionProps } from './route-function.ts';

export interface TableStreamAggregatesProps extends Omit<RouteFunctionProps, 'spec'> {
  table: Table;
  accessTargets: AccessTargets;
}

/** api.md: the aggregates are at most 2 minutes behind; older records go to the failure queue. */
export const AGGREGATES_MAX_RECORD_AGE = Duration.minutes(2);

/**
 * The table stream's second (and last: DynamoDB recommends at most two) consumer: one function that
 * runs every projection (delivery statistics for routing; usage counters are one more) over each batch,
 * filtered to the items they read (send records and challenges). Records that still fail after the
 * retries, or are older than 2 minutes, land in an encrypted failure queue that alarms.
 */
export class TableStreamAggregates extends Construct {
  readonly function: RouteFunction;
  readonly failures: Queue;
  private readonly failed: Alarm;

  constructor(scope: Construct, id: string, props: TableStreamAggregatesProps) {
    super(scope, id);
    const { table, accessTargets, ...functionProps } = props;
    const streamArn = (table.node.defaultChild as CfnTable).attrStreamArn;

    this.function = new RouteFunction(this, tableStreamAggregator.id, {
      ...functionProps,
      spec: {
        id: tableStreamAggregator.id,
        handler: tableStreamAggregator.handler,
        description: 'Writes the table stream aggregates (delivery statistics for routing)',
        sends: false,
      },
    });
    (this.function.fn.node.defaultChild as CfnFunction).timeout = 60;
    grantRouteAccess(this.function.role, tableStreamAggregator.access, accessTargets);
    const streamRead = new Policy(this.function.role, 'StreamRead', {
      roles: [this.function.role],
      statements: [
        new PolicyStatement({
          actions: ['dynamodb:DescribeStream', 'dynamodb:GetRecords', 'dynamodb:GetShardIterator'],
          resources: [streamArn],
        }),
        new PolicyStatement({ actions: ['dynamodb:ListStreams'], resources: ['*'] }),
      ],
    });
    Validations.of(streamRead).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'dynamodb:ListStreams supports no resource-level permissions; reading records is limited to this ' +
        "table's stream by the other statement.",
    });

    this.failures = failureQueue(this, 'Failures', {
      queueName: `sms-mfa-${functionProps.stage}-stream-aggregates-failures`,
      removalPolicy: functionProps.logRemovalPolicy,
      reason:
        'This queue is itself the on-failure destination of the stream aggregates; an operator reads it after the alarm.',
    });
    new EventSourceMapping(this, 'Changes', {
      target: this.function.fn,
      eventSourceArn: streamArn,
      startingPosition: StartingPosition.LATEST,
      // Send records and challenges only: every other item's change never invokes the function.
      filters: [FilterCriteria.filter({ dynamodb: { NewImage: { entity: { S: ['send', 'challenge'] } } } })],
      batchSize: 100,
      maxBatchingWindow: Duration.seconds(5),
      bisectBatchOnError: true,
      reportBatchItemFailures: true,
      retryAttempts: 3,
      maxRecordAge: AGGREGATES_MAX_RECORD_AGE,
      onFailure: new SqsDlq(this.failures),
    });
    this.failed = queueNotEmptyAlarm(this, 'FailedAggregates', this.failures, {
      alarmName: `sms-mfa-${functionProps.stage}-stream-aggregates-failed`,
      description:
        'Table stream records were not aggregated within 2 minutes: routing rates (and usage counters) ' +
        "miss them. Read the stream-aggregates function's log for the cause; the failure queue names the " +
        'stream positions.',
    });
  }

  alarmTo(topic: ITopic): void {
    notifyTopic(this.failed, topic);
  }
}
