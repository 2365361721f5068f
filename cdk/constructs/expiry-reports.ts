import { ArnFormat, Aws, Duration, Stack } from 'aws-cdk-lib';
import type { Alarm } from 'aws-cdk-lib/aws-cloudwatch';
import type { IEventBus } from 'aws-cdk-lib/aws-events';
import { Rule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { ScheduleGroup } from 'aws-cdk-lib/aws-scheduler';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { EVENT_SOURCE } from '../../shared/adapters/events/eventbridge-publisher.ts';
import { expiryReporter, expiryScheduler } from '../../shared/routes.ts';
import type { AsyncInvocationProps } from './async-invocation.ts';
import { failureQueue, notifyTopic, queueNotEmptyAlarm } from './queue-alarm.ts';
import { type AccessTargets, grantRouteAccess } from './grants.ts';
import { RouteFunction, type RouteFunctionProps } from './route-function.ts';

export interface ExpiryReportsProps extends Omit<RouteFunctionProps, 'spec'> {
  accessTargets: AccessTargets;
  bus: IEventBus;
}

/** Both functions' asynchronous retries: a check is harmless to repeat, and one an hour late is still useful. */
export const EXPIRY_RETRY_ATTEMPTS = 2;
export const EXPIRY_MAX_EVENT_AGE = Duration.hours(1);

/**
 * `challenge.failed` with reason `expired`, deployed: a rule on the bus's `challenge.created` runs the
 * scheduler function, which creates a one-time EventBridge Scheduler schedule in this stack's group for
 * a minute after the challenge's expiry (deleted once it ran); the schedule invokes the reporter function
 * through a role that may invoke that function only. Issue and verify pay nothing for it. Both functions
 * are invoked asynchronously: `asyncFunctions` is their failure path (queue and alarms) for Monitoring.
 */
export class ExpiryReports extends Construct {
  readonly group: ScheduleGroup;
  /** The role the schedules run as. */
  readonly invokeRole: Role;
  readonly scheduler: RouteFunction;
  readonly reporter: RouteFunction;
  readonly rule: Rule;
  /** `challenge.created` events the rule could not hand to the scheduler function. */
  readonly undelivered: Queue;
  private readonly undeliveredAlarm: Alarm;
  readonly asyncFunctions: readonly Omit<
    AsyncInvocationProps,
    'alarms' | 'encryptionKey' | 'removalPolicy' | 'queueName'
  >[];

  constructor(scope: Construct, id: string, props: ExpiryReportsProps) {
    super(scope, id);
    const { accessTargets, bus, ...functionProps } = props;
    const stage = functionProps.stage;
    const groupName = `sms-mfa-${stage}-challenge-expiry`;
    this.group = new ScheduleGroup(this, 'Schedules', {
      scheduleGroupName: groupName,
      removalPolicy: functionProps.logRemovalPolicy,
    });

    // Built from the reporter's fixed name, not its resource: the reporter's environment names this role,
    // whose policy names the reporter (a reference both ways would be a cycle).
    const reporterArn = Stack.of(this).formatArn({
      service: 'lambda',
      resource: 'function',
      resourceName: `sms-mfa-${stage}-${expiryReporter.id}`,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
    this.invokeRole = new Role(this, 'InvokeRole', {
      description: 'EventBridge Scheduler: the expiry schedules invoke the report-expiry function',
      // Only this account's schedules of this group may assume it (confused deputy).
      assumedBy: new ServicePrincipal('scheduler.amazonaws.com', {
        conditions: {
          StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID },
          ArnEquals: { 'aws:SourceArn': this.group.scheduleGroupArn },
        },
      }),
    });
    this.invokeRole.addToPrincipalPolicy(
      new PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [reporterArn] }),
    );

    const environment = {
      ...functionProps.environment,
      EXPIRY_SCHEDULE_GROUP: groupName,
      EXPIRY_REPORTER_ARN: reporterArn,
      EXPIRY_SCHEDULER_ROLE_ARN: this.invokeRole.roleArn,
    };
    const targets = {
      ...accessTargets,
      eventBus: bus,
      expirySchedules: { groupName, invokeRole: this.invokeRole },
    };
    this.scheduler = new RouteFunction(this, expiryScheduler.id, {
      ...functionProps,
      environment,
      invocation: 'async',
      spec: {
        id: expiryScheduler.id,
        handler: expiryScheduler.handler,
        description: "Schedules a challenge's expiry check (bus rule on challenge.created)",
        sends: false,
      },
    });
    grantRouteAccess(this.scheduler.role, expiryScheduler.access, targets);
    this.reporter = new RouteFunction(this, expiryReporter.id, {
      ...functionProps,
      environment,
      invocation: 'async',
      spec: {
        id: expiryReporter.id,
        handler: expiryReporter.handler,
        description: "Reports a challenge's expiry, once (its one-time schedule)",
        sends: false,
      },
    });
    grantRouteAccess(this.reporter.role, expiryReporter.access, targets);
    // Schedules are created in the group: it exists before either function runs.
    this.scheduler.fn.node.addDependency(this.group);
    this.reporter.fn.node.addDependency(this.group);

    this.undelivered = failureQueue(this, 'Undelivered', {
      queueName: `sms-mfa-${stage}-challenge-expiry-undelivered`,
      removalPolicy: functionProps.logRemovalPolicy,
      reason:
        "This queue is itself the rule target's dead-letter queue (events EventBridge could not hand to the " +
        'scheduler function); an operator reads it after the alarm.',
    });
    this.undeliveredAlarm = queueNotEmptyAlarm(this, 'UndeliveredAlarm', this.undelivered, {
      alarmName: `sms-mfa-${stage}-challenge-expiry-undelivered`,
      description:
        'EventBridge could not invoke the expiry scheduler function for a challenge.created event, so that ' +
        "challenge's expiry may go unreported. Runbook: read the message (the event) and its error attributes, " +
        'fix the cause (function missing, throttled, or not permitted), then send the event to the bus again ' +
        '(aws events put-events) or delete it; the report is harmless to repeat.',
    });

    this.rule = new Rule(this, 'ChallengeCreated', {
      eventBus: bus,
      description: "Every challenge.created, to the function that schedules the challenge's expiry check",
      eventPattern: { source: [EVENT_SOURCE], detailType: ['challenge.created'] },
      targets: [
        new LambdaFunction(this.scheduler.fn, {
          retryAttempts: EXPIRY_RETRY_ATTEMPTS,
          maxEventAge: EXPIRY_MAX_EVENT_AGE,
          deadLetterQueue: this.undelivered,
        }),
      ],
    });

    const common = { retryAttempts: EXPIRY_RETRY_ATTEMPTS, maxEventAge: EXPIRY_MAX_EVENT_AGE };
    this.asyncFunctions = [
      {
        name: 'challenge-expiry-schedule',
        fn: this.scheduler.fn,
        purpose: "Scheduling a challenge's expiry check",
        ...common,
      },
      {
        name: 'challenge-expiry-report',
        fn: this.reporter.fn,
        purpose: "A challenge's expiry report (challenge.failed, reason expired)",
        ...common,
      },
    ];
  }

  /** The functions' failure queues alarm through Monitoring (asyncFunctions); this adds the rule's. */
  alarmTo(topic: ITopic): void {
    notifyTopic(this.undeliveredAlarm, topic);
  }
}
