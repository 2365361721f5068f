import { Duration, Validations } from 'aws-cdk-lib';
import type { Alarm } from 'aws-cdk-lib/aws-cloudwatch';
import { failureQueue, notifyTopic, queueNotEmptyAlarm } from './queue-alarm.ts';
import type { CfnTable } from 'aws-cdk-lib/aws-dynamodb';
import { type Table } from 'aws-cdk-lib/aws-dynamodb';
import type { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import { EventSourceMapping, FilterCriteria, StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { STORE_REMOVED_FILTER } from '../../shared/adapters/dynamodb/store-stream.ts';
import { SWEEP_AGAIN_AFTER_SECONDS } from '../../shared/domain/identity-stores/deleted-store-sweep.ts';
import { storeSweeper } from '../../shared/routes.ts';
import { type AccessTargets, grantRouteAccess } from './grants.ts';
import { grantStreamRead } from './stream-read.ts';
import { RouteFunction, type RouteFunctionProps } from './route-function.ts';

export interface StoreSweepProps extends Omit<RouteFunctionProps, 'spec'> {
  table: Table;
  accessTargets: AccessTargets;
}

/** api.md: a deleted store's items are gone within 15 minutes. Older records go to the failure queue. */
export const SWEEP_DEADLINE = Duration.minutes(15);
/** Longer than a route's 10 s: a large store takes a while, and each retry continues where one stopped. */
const SWEEP_TIMEOUT_SECONDS = 120;
/**
 * Receives of one second-pass message before it goes to the failure queue: its delay plus this many
 * function timeouts stays inside the 15 minutes.
 */
export const SWEEP_AGAIN_RECEIVES = 3;

/**
 * Sweeps a deleted identity store's items: the table's stream (keys only), filtered to the store
 * item's REMOVE, invokes the sweeper function, which then queues a delayed second pass on the
 * sweep-again queue for what sends still running at the delete wrote after the first (the same
 * function consumes it). Sweeping is idempotent, so retries are harmless; a record that still fails
 * after the retries, or is older than the deadline, lands in an encrypted queue that alarms.
 */
export class StoreSweep extends Construct {
  readonly function: RouteFunction;
  readonly failures: Queue;
  /** The second pass of each deleted store: a message delayed past the sends that were still running. */
  readonly again: Queue;
  private readonly failedSweeps: Alarm;

  constructor(scope: Construct, id: string, props: StoreSweepProps) {
    super(scope, id);
    const { table, accessTargets, ...functionProps } = props;

    // The stream's other consumer, the stream aggregates (table-stream-aggregates.ts), reads the items'
    // images; the sweep's filter looks at the keys alone. Both set the same view, in either order.
    const cfnTable = table.node.defaultChild as CfnTable;
    cfnTable.streamSpecification = { streamViewType: 'NEW_AND_OLD_IMAGES' };
    const streamArn = cfnTable.attrStreamArn;

    this.function = new RouteFunction(this, storeSweeper.id, {
      ...functionProps,
      spec: {
        id: storeSweeper.id,
        handler: storeSweeper.handler,
        description: "Removes a deleted identity store's items (table stream)",
        sends: false,
      },
    });
    (this.function.fn.node.defaultChild as CfnFunction).timeout = SWEEP_TIMEOUT_SECONDS;
    grantRouteAccess(this.function.role, storeSweeper.access, accessTargets);

    grantStreamRead(this.function.role, streamArn);

    this.failures = failureQueue(this, 'Failures', {
      queueName: `sms-mfa-${functionProps.stage}-store-sweep-failures`,
      removalPolicy: functionProps.logRemovalPolicy,
      reason:
        'This queue is itself the on-failure destination of the store sweep; an operator reads it after the alarm.',
      deadLetterOfAQueue: true,
    });

    new EventSourceMapping(this, 'StoreRemoved', {
      target: this.function.fn,
      eventSourceArn: streamArn,
      startingPosition: StartingPosition.TRIM_HORIZON,
      filters: [FilterCriteria.filter(STORE_REMOVED_FILTER)],
      batchSize: 10,
      bisectBatchOnError: true,
      reportBatchItemFailures: true,
      retryAttempts: 10,
      maxRecordAge: SWEEP_DEADLINE,
      onFailure: new SqsDlq(this.failures),
    });

    // A sweep that found late writes is just as harmless to repeat, so a failed receive is retried as is.
    this.again = new Queue(this, 'Again', {
      queueName: `sms-mfa-${functionProps.stage}-store-sweep-again`,
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      visibilityTimeout: Duration.seconds(SWEEP_TIMEOUT_SECONDS),
      retentionPeriod: Duration.days(1),
      deadLetterQueue: { queue: this.failures, maxReceiveCount: SWEEP_AGAIN_RECEIVES },
      ...(functionProps.logRemovalPolicy ? { removalPolicy: functionProps.logRemovalPolicy } : {}),
    });
    this.again.grantSendMessages(this.function.role);
    this.function.fn.addEnvironment('SWEEP_AGAIN_QUEUE_URL', this.again.queueUrl);
    this.again.grantConsumeMessages(this.function.role);
    const secondPass = new EventSourceMapping(this, 'SweepAgain', {
      target: this.function.fn,
      eventSourceArn: this.again.queueArn,
      batchSize: 10,
      reportBatchItemFailures: true,
    });
    Validations.of(secondPass.node.defaultChild ?? secondPass).acknowledge({
      id: 'Serverless-LambdaEventSourceMappingDestination',
      reason:
        'An SQS event source mapping has no on-failure destination (Lambda supports them for streams and ' +
        'Kafka only); a message that fails every receive goes to the redrive dead-letter queue, the alarmed ' +
        'failure queue.',
    });
    if (
      SWEEP_AGAIN_AFTER_SECONDS + SWEEP_AGAIN_RECEIVES * SWEEP_TIMEOUT_SECONDS >
      SWEEP_DEADLINE.toSeconds()
    ) {
      throw new Error('The second sweep pass and its retries would end after the 15-minute deadline');
    }

    this.failedSweeps = queueNotEmptyAlarm(this, 'FailedSweeps', this.failures, {
      alarmName: `sms-mfa-${functionProps.stage}-store-sweep-failed`,
      description:
        'A deleted identity store was not swept within 15 minutes: its stream record (first pass) or its ' +
        'sweep-again message (second pass) is in the store-sweep failure queue, and factors, challenges or counters of that store may still be in the table. Read the ' +
        "sweeper function's log for the cause, fix it, then sweep the store again (redrive the message).",
    });
  }

  /** The sweeper's errors and throttles are in the service's Lambda alarms; this adds its failure queue. */
  alarmTo(topic: ITopic): void {
    notifyTopic(this.failedSweeps, topic);
  }
}
