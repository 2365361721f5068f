import { Duration } from 'aws-cdk-lib';
import type { Alarm } from 'aws-cdk-lib/aws-cloudwatch';
import type { CfnTable, Table } from 'aws-cdk-lib/aws-dynamodb';
import type { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import { EventSourceMapping, FilterCriteria, StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { USAGE_RECORD_FILTER } from '../../shared/adapters/dynamodb/usage-stream.ts';
import { streamAggregator } from '../../shared/routes.ts';
import { type AccessTargets, grantRouteAccess } from './grants.ts';
import { failureQueue, notifyTopic, queueNotEmptyAlarm } from './queue-alarm.ts';
import { grantStreamRead } from './stream-read.ts';
import { RouteFunction, type RouteFunctionProps } from './route-function.ts';

export interface TableStreamAggregatesProps extends Omit<RouteFunctionProps, 'spec'> {
  table: Table;
  accessTargets: AccessTargets;
}

/** api.md: the aggregates are at most 2 minutes behind; older records go to the failure queue. */
export const AGGREGATES_MAX_RECORD_AGE = Duration.minutes(2);

/**
 * The table stream's second (and last: DynamoDB recommends at most two) consumer, beside the store
 * sweep: one function that runs every projection over each batch (the usage ledger's counters and the
 * delivery statistics routing learns from), filtered to the items they read. The stream carries new and
 * old images, so a send record, its first delivery status and a challenge's ending are each read from
 * their record. Records that still fail after the retries, or are older than 2 minutes, land in an
 * encrypted failure queue that alarms.
 */
export class TableStreamAggregates extends Construct {
  readonly function: RouteFunction;
  readonly failures: Queue;
  private readonly failed: Alarm;

  constructor(scope: Construct, id: string, props: TableStreamAggregatesProps) {
    super(scope, id);
    const { table, accessTargets, ...functionProps } = props;
    const cfnTable = table.node.defaultChild as CfnTable;
    // The projections read the items themselves; the sweep's filter reads only their keys.
    cfnTable.streamSpecification = { streamViewType: 'NEW_AND_OLD_IMAGES' };
    const streamArn = cfnTable.attrStreamArn;

    this.function = new RouteFunction(this, streamAggregator.id, {
      ...functionProps,
      spec: {
        id: streamAggregator.id,
        handler: streamAggregator.handler,
        description: 'Aggregates of the table stream: usage ledger counters and routing delivery statistics',
        sends: false,
      },
    });
    (this.function.fn.node.defaultChild as CfnFunction).timeout = 60;
    grantRouteAccess(this.function.role, streamAggregator.access, accessTargets);

    grantStreamRead(this.function.role, streamArn);

    this.failures = failureQueue(this, 'Failures', {
      queueName: `sms-mfa-${functionProps.stage}-stream-aggregates-failures`,
      removalPolicy: functionProps.logRemovalPolicy,
      reason:
        'This queue is itself the on-failure destination of the stream aggregates; an operator reads it after the alarm.',
    });

    new EventSourceMapping(this, 'UsageRecords', {
      target: this.function.fn,
      eventSourceArn: streamArn,
      startingPosition: StartingPosition.TRIM_HORIZON,
      // Send records, challenges and their endings only: every other item's change never invokes it.
      filters: [
        FilterCriteria.filter(USAGE_RECORD_FILTER),
        FilterCriteria.filter({ dynamodb: { NewImage: { entity: { S: ['challenge'] } } } }),
      ],
      batchSize: 100,
      maxBatchingWindow: Duration.seconds(5),
      bisectBatchOnError: true,
      reportBatchItemFailures: true,
      retryAttempts: 10,
      maxRecordAge: AGGREGATES_MAX_RECORD_AGE,
      onFailure: new SqsDlq(this.failures),
    });

    this.failed = queueNotEmptyAlarm(this, 'FailedAggregates', this.failures, {
      alarmName: `sms-mfa-${functionProps.stage}-stream-aggregates-failed`,
      description:
        'Table stream records were not aggregated within 2 minutes: the usage ledger (GET .../usage) and ' +
        "routing's rates miss them. Read the stream-aggregates function's log for the cause, fix it, then " +
        'replay the records in the failure queue.',
    });
  }

  alarmTo(topic: ITopic): void {
    notifyTopic(this.failed, topic);
  }
}
