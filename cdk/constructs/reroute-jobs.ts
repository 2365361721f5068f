import { Duration, Validations } from 'aws-cdk-lib';
import type { Alarm } from 'aws-cdk-lib/aws-cloudwatch';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct, type IConstruct } from 'constructs';
import { MAX_DELAY_SECONDS } from '../../shared/adapters/reroutes/sqs-reroute-queue.ts';
import { rerouteWorker } from '../../shared/routes.ts';
import { type AccessTargets, grantRouteAccess } from './grants.ts';
import { notifyTopic, queueNotEmptyAlarm } from './queue-alarm.ts';
import { functionTimeoutSeconds } from '../../shared/domain/sending/deadline.ts';
import { RouteFunction, type RouteFunctionProps } from './route-function.ts';

export interface RerouteJobsProps extends Omit<RouteFunctionProps, 'spec'> {
  accessTargets: AccessTargets;
  /** The service key the jobs' queues are encrypted with (the data key). */
  encryptionKey: IKey;
}

/** Receives of one job before it goes to the dead-letter queue (a read that failed before the claim). */
export const REROUTE_JOB_RECEIVES = 3;
const BATCH_SIZE = 10;

/**
 * Delivery failover deployed (api.md "Delivery failover": "a durable delayed job, a restart loses none"):
 * the functions that send (and take receipts) put each job on this SQS queue delayed until its deadline
 * (at most SQS's 15 minutes, api.md's bound of `deliveryDeadlineSeconds`); the reroute worker consumes
 * it, with partial batch failures. A job that fails every receive lands in the dead-letter queue, which
 * alarms. Both queues are encrypted with the service's data key and accept TLS only.
 */
export class RerouteJobs extends Construct {
  readonly queue: Queue;
  readonly deadLetters: Queue;
  readonly function: RouteFunction;
  private readonly deadLetterAlarm: Alarm;

  constructor(scope: Construct, id: string, props: RerouteJobsProps) {
    super(scope, id);
    const { accessTargets, encryptionKey, ...functionProps } = props;
    const stage = functionProps.stage;
    const encryption = { encryption: QueueEncryption.KMS, encryptionMasterKey: encryptionKey };

    this.deadLetters = new Queue(this, 'DeadLetters', {
      queueName: `sms-mfa-${stage}-reroute-jobs-failed`,
      ...encryption,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
      removalPolicy: functionProps.logRemovalPolicy,
    });
    Validations.of(this.deadLetters.node.defaultChild as IConstruct).acknowledge({
      id: 'Serverless-SQSRedrivePolicy',
      reason:
        'This queue is itself the dead-letter queue of the reroute job queue; an operator reads it after the alarm.',
    });

    // The batch processor runs a batch's jobs side by side: one send's timeout covers the batch.
    const timeout = functionTimeoutSeconds(true);
    this.queue = new Queue(this, 'Jobs', {
      queueName: `sms-mfa-${stage}-reroute-jobs`,
      ...encryption,
      enforceSSL: true,
      // A job waits at most 15 minutes; a day covers its receives with room to spare.
      retentionPeriod: Duration.days(1),
      // SQS's advice for a Lambda source: six times the function's timeout.
      visibilityTimeout: Duration.seconds(timeout * 6),
      deadLetterQueue: { queue: this.deadLetters, maxReceiveCount: REROUTE_JOB_RECEIVES },
      removalPolicy: functionProps.logRemovalPolicy,
    });
    if (MAX_DELAY_SECONDS > 900) throw new Error('SQS delays a message by at most 900 seconds');

    this.function = new RouteFunction(this, rerouteWorker.id, {
      ...functionProps,
      environment: { ...functionProps.environment, REROUTE_QUEUE_URL: this.queue.queueUrl },
      invocation: 'queue',
      spec: {
        id: rerouteWorker.id,
        handler: rerouteWorker.handler,
        description: 'Delivery failover: a new code of the challenge through the next gateway (reroute jobs)',
        sends: true,
      },
    });
    grantRouteAccess(this.function.role, rerouteWorker.access, {
      ...accessTargets,
      rerouteQueue: this.queue,
    });
    this.function.fn.addEventSource(
      new SqsEventSource(this.queue, { batchSize: BATCH_SIZE, reportBatchItemFailures: true }),
    );
    const mapping = this.function.fn.node.children.find((child) =>
      child.node.id.startsWith('SqsEventSource:'),
    );
    if (mapping) {
      Validations.of(mapping.node.defaultChild ?? mapping).acknowledge({
        id: 'Serverless-LambdaEventSourceMappingDestination',
        reason:
          'An SQS event source mapping has no on-failure destination (Lambda supports them for streams and ' +
          'Kafka only); a job that fails every receive goes to the queue’s redrive dead-letter queue, which alarms.',
      });
    }

    this.deadLetterAlarm = queueNotEmptyAlarm(this, 'DeadLetterAlarm', this.deadLetters, {
      alarmName: `sms-mfa-${stage}-reroute-jobs-failed`,
      description:
        'A delivery-failover job failed every receive and is in the reroute dead-letter queue: that message got ' +
        'no reroute (its user may still resend). Runbook: read the reroute-jobs function’s log for the cause, ' +
        'fix it; redriving is harmless (a job reroutes at most once and never after its challenge ended).',
    });
  }

  alarmTo(topic: ITopic): void {
    notifyTopic(this.deadLetterAlarm, topic);
  }
}
