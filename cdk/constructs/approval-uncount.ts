import { Duration } from 'aws-cdk-lib';
import type { Alarm } from 'aws-cdk-lib/aws-cloudwatch';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { type IEventBus, Rule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { Construct } from 'constructs';
import { EVENT_SOURCE } from '../../shared/adapters/events/eventbridge-publisher.ts';
import { approvalUncounter } from '../../shared/routes.ts';
import { type AccessTargets, grantRouteAccess } from './grants.ts';
import { failureQueue, notifyTopic, queueNotEmptyAlarm } from './queue-alarm.ts';
import { RouteFunction, type RouteFunctionProps } from './route-function.ts';

export interface ApprovalUncountProps extends Omit<RouteFunctionProps, 'spec'> {
  bus: IEventBus;
  accessTargets: AccessTargets;
}

/**
 * api.md: deployed, an approval takes its sends off the unverified counts within 60 seconds. A rule on
 * the service's bus sends each `challenge.approved` event to the un-count function (asynchronously;
 * its retries, event age and failure queue are the stack's AsyncInvocation, with alarms), so verify's
 * answer waits for one write only. The event carries ids, not the counted windows: the function reads them
 * from the challenge.
 */
export class ApprovalUncount extends Construct {
  readonly function: RouteFunction;
  readonly rule: Rule;
  /** Events the rule could not hand to the function (after EventBridge's retries). */
  readonly invokeFailures: Queue;
  private readonly invokeFailed: Alarm;

  constructor(scope: Construct, id: string, props: ApprovalUncountProps) {
    super(scope, id);
    const { bus, accessTargets, ...functionProps } = props;
    this.function = new RouteFunction(this, approvalUncounter.id, {
      ...functionProps,
      invocation: 'async',
      spec: {
        id: approvalUncounter.id,
        handler: approvalUncounter.handler,
        description: "Takes an approved challenge's sends off the fraud guard's unverified counts (bus rule)",
        sends: false,
      },
    });
    grantRouteAccess(this.function.role, approvalUncounter.access, accessTargets);
    this.invokeFailures = failureQueue(this, 'InvokeFailures', {
      queueName: `sms-mfa-${functionProps.stage}-approval-uncount-invoke-failures`,
      removalPolicy: functionProps.logRemovalPolicy,
      reason:
        'This queue is itself the dead-letter queue of the challenge.approved rule target; an operator reads it after the alarm.',
    });
    this.rule = new Rule(this, 'Approved', {
      eventBus: bus,
      description: 'Every challenge.approved event, to the approval un-count function',
      eventPattern: { source: [EVENT_SOURCE], detailType: ['challenge.approved'] },
      // EventBridge's own retries cover a failed invoke (throttling); within the 60 s api.md allows.
      targets: [
        new LambdaFunction(this.function.fn, {
          retryAttempts: 3,
          maxEventAge: Duration.seconds(60),
          deadLetterQueue: this.invokeFailures,
        }),
      ],
    });
    this.invokeFailed = queueNotEmptyAlarm(this, 'InvokeFailed', this.invokeFailures, {
      alarmName: `sms-mfa-${functionProps.stage}-approval-uncount-invoke-failed`,
      description:
        'EventBridge could not invoke the approval un-count function for a challenge.approved event (its ' +
        'retries over 60 s used up); the event is in the queue sms-mfa-<stage>-approval-uncount-invoke-failures. ' +
        'Those sends stay counted as unverified until their hour ends (the guard blocks sooner, never later). ' +
        "Check the function's throttles and the rule; lift a block that real users hit (blocks lift).",
    });
  }

  /** The function's errors are in the service's Lambda alarms and its AsyncInvocation; this adds the rule's DLQ. */
  alarmTo(topic: ITopic): void {
    notifyTopic(this.invokeFailed, topic);
  }
}

/** Lambda's retries of a failed un-count (the function's errors), and how old an event may get. */
export const UNCOUNT_RETRY_ATTEMPTS = 2;
export const UNCOUNT_MAX_EVENT_AGE = Duration.minutes(1);
