import { Duration, Validations } from 'aws-cdk-lib';
import type { Alarm } from 'aws-cdk-lib/aws-cloudwatch';
import { notifyTopic, queueNotEmptyAlarm } from './queue-alarm.ts';
import { EventBus, Rule } from 'aws-cdk-lib/aws-events';
import { SqsQueue } from 'aws-cdk-lib/aws-events-targets';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct, type IConstruct } from 'constructs';
import { EVENT_SOURCE } from '../../shared/adapters/events/eventbridge-publisher.ts';
import { DEPLOYED_MAX_ATTEMPTS, deployedBackoffSeconds } from '../../shared/domain/webhooks/webhook.ts';
import { webhookDeliverer } from '../../shared/routes.ts';
import { type AccessTargets, grantRouteAccess } from './grants.ts';
import { RouteFunction, type RouteFunctionProps } from './route-function.ts';

export interface EventDeliveryProps extends Omit<RouteFunctionProps, 'spec'> {
  accessTargets: AccessTargets;
}

/** 15 s per attempt (Standard Webhooks), a batch of a few: the function's timeout. */
const DELIVERY_TIMEOUT_SECONDS = 60;
const BATCH_SIZE = 5;

/** Seconds from the first attempt to the last: the backoff schedule of shared/domain/webhooks. */
export function retrySpanSeconds(): number {
  let total = 0;
  for (let retry = 1; retry < DEPLOYED_MAX_ATTEMPTS; retry++) total += deployedBackoffSeconds(retry);
  return total;
}

/**
 * Events and webhooks, deployed: the bus `sms-mfa-<stage>` (customers add their own rules to it), a rule
 * that sends each event of an identity store to the webhook queue, the delivery function that consumes
 * it (fan-out per webhook, one attempt per receipt, backoff through the message's visibility for more
 * than 24 hours), and a dead-letter queue with an alarm for deliveries that never succeeded.
 */
export class EventDelivery extends Construct {
  readonly bus: EventBus;
  readonly queue: Queue;
  readonly deadLetters: Queue;
  readonly function: RouteFunction;
  private readonly deadLetterAlarm: Alarm;

  constructor(scope: Construct, id: string, props: EventDeliveryProps) {
    super(scope, id);
    const { accessTargets, ...functionProps } = props;
    const stage = functionProps.stage;
    this.bus = new EventBus(this, 'Bus', { eventBusName: `sms-mfa-${stage}` });

    this.deadLetters = new Queue(this, 'DeadLetters', {
      queueName: `sms-mfa-${stage}-webhook-dead-letters`,
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
      removalPolicy: functionProps.logRemovalPolicy,
    });
    const dlqReason =
      'This queue is itself the dead-letter queue of the webhook queue; an operator reads it after the alarm.';
    const dlqResource = this.deadLetters.node.defaultChild as IConstruct;
    Validations.of(dlqResource).acknowledge({ id: 'Serverless-SQSRedrivePolicy', reason: dlqReason });

    this.queue = new Queue(this, 'Deliveries', {
      queueName: `sms-mfa-${stage}-webhook-deliveries`,
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      // Longer than the whole retry span, so no message expires before its last attempt.
      retentionPeriod: Duration.days(14),
      visibilityTimeout: Duration.seconds(DELIVERY_TIMEOUT_SECONDS * 6),
      deadLetterQueue: { queue: this.deadLetters, maxReceiveCount: DEPLOYED_MAX_ATTEMPTS },
      removalPolicy: functionProps.logRemovalPolicy,
    });

    // Only events of a store: gateway audit events go to the bus alone (api.md).
    new Rule(this, 'StoreEvents', {
      eventBus: this.bus,
      description: 'Every event of an identity store, to the webhook deliveries queue',
      eventPattern: { source: [EVENT_SOURCE], detail: { data: { storeId: [{ exists: true }] } } },
      // An event the rule cannot put on the queue lands in the same dead-letter queue (and its alarm).
      targets: [new SqsQueue(this.queue, { deadLetterQueue: this.deadLetters })],
    });

    this.function = new RouteFunction(this, webhookDeliverer.id, {
      ...functionProps,
      environment: { ...functionProps.environment, WEBHOOK_QUEUE_URL: this.queue.queueUrl },
      invocation: 'queue',
      spec: {
        id: webhookDeliverer.id,
        handler: webhookDeliverer.handler,
        description: "Delivers an identity store's events to its webhooks (Standard Webhooks)",
        sends: false,
      },
    });
    (this.function.fn.node.defaultChild as CfnFunction).timeout = DELIVERY_TIMEOUT_SECONDS;
    grantRouteAccess(this.function.role, webhookDeliverer.access, accessTargets);
    // Fan-out puts one message per webhook on the same queue; the backoff sets a message's visibility.
    this.function.role.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ['sqs:SendMessage', 'sqs:ChangeMessageVisibility'],
        resources: [this.queue.queueArn],
      }),
    );
    this.function.fn.addEventSource(
      new SqsEventSource(this.queue, { batchSize: BATCH_SIZE, reportBatchItemFailures: true }),
    );
    const mapping =
      this.function.fn.node.tryFindChild(`SqsEventSource:${this.node.id}`) ??
      this.function.fn.node.children.find((child) => child.node.id.startsWith('SqsEventSource:'));
    if (mapping) {
      Validations.of(mapping.node.defaultChild ?? mapping).acknowledge({
        id: 'Serverless-LambdaEventSourceMappingDestination',
        reason:
          'An SQS event source mapping has no on-failure destination (Lambda supports them for streams and ' +
          'Kafka only); a message that fails every attempt goes to the queue’s redrive dead-letter queue, which alarms.',
      });
    }

    this.deadLetterAlarm = queueNotEmptyAlarm(this, 'DeadLetterAlarm', this.deadLetters, {
      alarmName: `sms-mfa-${stage}-webhook-dead-letters`,
      description:
        'A webhook delivery failed every attempt for more than 24 hours and is in the webhook dead-letter ' +
        'queue. Runbook: read the message (storeId, webhookId, event) and the delivery function’s log, ask the ' +
        'store owner to fix the receiver, then redrive the queue (SQS console: Start DLQ redrive).',
    });
  }

  alarmTo(topic: ITopic): void {
    notifyTopic(this.deadLetterAlarm, topic);
  }
}
