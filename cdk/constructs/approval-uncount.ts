import { Duration } from 'aws-cdk-lib';
import { type IEventBus, Rule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { Construct } from 'constructs';
import { EVENT_SOURCE } from '../../shared/adapters/events/eventbridge-publisher.ts';
import { approvalUncounter } from '../../shared/routes.ts';
import { type AccessTargets, grantRouteAccess } from './grants.ts';
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
    this.rule = new Rule(this, 'Approved', {
      eventBus: bus,
      description: 'Every challenge.approved event, to the approval un-count function',
      eventPattern: { source: [EVENT_SOURCE], detailType: ['challenge.approved'] },
      // EventBridge's own retries cover a failed invoke (throttling); within the 60 s api.md allows.
      targets: [
        new LambdaFunction(this.function.fn, { retryAttempts: 3, maxEventAge: Duration.seconds(60) }),
      ],
    });
  }
}

/** Lambda's retries of a failed un-count (the function's errors), and how old an event may get. */
export const UNCOUNT_RETRY_ATTEMPTS = 2;
export const UNCOUNT_MAX_EVENT_AGE = Duration.minutes(1);
