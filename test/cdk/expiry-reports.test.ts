import { type App, RemovalPolicy, type Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { Alarm } from 'aws-cdk-lib/aws-cloudwatch';
import { EventBus } from 'aws-cdk-lib/aws-events';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AsyncInvocation } from '../../cdk/constructs/async-invocation.ts';
import {
  EXPIRY_MAX_EVENT_AGE,
  EXPIRY_RETRY_ATTEMPTS,
  ExpiryReports,
} from '../../cdk/constructs/expiry-reports.ts';
import { constructStack } from './construct-stack.ts';
import { describeFindings, unacknowledgedFindings } from './nag-helpers.ts';

type Json = Record<string, unknown>;
type Statement = { Effect: string; Action: string | string[]; Resource: unknown; Condition?: unknown };
const asArray = <T>(v: T | T[]): T[] => (Array.isArray(v) ? v : [v]);

describe('ExpiryReports construct', { timeout: 120_000 }, () => {
  let app: App;
  let stack: Stack;
  let template: Template;
  let expiry: ExpiryReports;
  let bus: EventBus;
  let remove: () => void;
  beforeAll(() => {
    const base = constructStack('Expiry', { nag: false });
    ({ app, stack, remove } = base);
    bus = new EventBus(stack, 'Bus', { eventBusName: 'sms-mfa-ci' });
    expiry = new ExpiryReports(stack, 'ExpiryReports', {
      ...base.functionProps,
      accessTargets: base.accessTargets,
      bus,
    });
    // What Monitoring does with `asyncFunctions` (its alarms are Monitoring's; any sink will do here).
    for (const spec of expiry.asyncFunctions) {
      new AsyncInvocation(stack, `${spec.name}-failures`, {
        ...spec,
        queueName: `sms-mfa-ci-${spec.name}-failed`,
        encryptionKey: base.keys.data,
        removalPolicy: RemovalPolicy.DESTROY,
        alarms: {
          addAlarm: (id, name, { description, ...props }) =>
            new Alarm(stack, id, {
              ...props,
              alarmName: name,
              alarmDescription: description,
              evaluationPeriods: 1,
            }),
        },
      });
    }
    expiry.alarmTo(new Topic(stack, 'Alarms'));
    template = Template.fromStack(stack);
  });
  afterAll(() => remove());

  const logicalId = (construct: { node: { defaultChild?: unknown } }) =>
    stack.resolve((construct.node.defaultChild as { logicalId: string }).logicalId) as string;
  const policyOf = (roleId: string): Statement[] =>
    Object.values(template.findResources('AWS::IAM::Policy'))
      .filter((p) => JSON.stringify((p.Properties as Json).Roles).includes(roleId))
      .flatMap(
        (p) => (p.Properties as { PolicyDocument: { Statement: Statement[] } }).PolicyDocument.Statement,
      );
  const reporterArn = {
    'Fn::Join': [
      '',
      [
        'arn:',
        { Ref: 'AWS::Partition' },
        ':lambda:',
        { Ref: 'AWS::Region' },
        ':',
        { Ref: 'AWS::AccountId' },
        ':function:sms-mfa-ci-challenge-expiry-report',
      ],
    ],
  };
  const scheduleArns = {
    'Fn::Join': [
      '',
      [
        'arn:',
        { Ref: 'AWS::Partition' },
        ':scheduler:',
        { Ref: 'AWS::Region' },
        ':',
        { Ref: 'AWS::AccountId' },
        ':schedule/sms-mfa-ci-challenge-expiry/*',
      ],
    ],
  };

  it('a rule on the bus sends every challenge.created to the scheduler function, with bounded retries', () => {
    template.hasResourceProperties('AWS::Events::Rule', {
      EventBusName: { Ref: Match.stringLikeRegexp('^Bus') },
      EventPattern: { source: ['sms-mfa'], 'detail-type': ['challenge.created'] },
      Targets: [
        Match.objectLike({
          Arn: { 'Fn::GetAtt': [logicalId(expiry.scheduler.fn), 'Arn'] },
          RetryPolicy: { MaximumRetryAttempts: EXPIRY_RETRY_ATTEMPTS, MaximumEventAgeInSeconds: 3600 },
          DeadLetterConfig: { Arn: { 'Fn::GetAtt': [logicalId(expiry.undelivered), 'Arn'] } },
        }),
      ],
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'sms-mfa-ci-challenge-expiry-undelivered',
      MetricName: 'ApproximateNumberOfMessagesVisible',
      AlarmDescription: Match.stringLikeRegexp('Runbook'),
      AlarmActions: [{ Ref: Match.stringLikeRegexp('Alarms') }],
    });
    expect(template.findResources('AWS::Events::Rule')).toSatisfy((r: Json) => Object.keys(r).length === 1);
  });

  it('has the schedule group of the stage, and both functions know it, the reporter and the invoke role', () => {
    template.hasResourceProperties('AWS::Scheduler::ScheduleGroup', { Name: 'sms-mfa-ci-challenge-expiry' });
    for (const fn of [expiry.scheduler, expiry.reporter]) {
      template.hasResourceProperties('AWS::Lambda::Function', {
        FunctionName: `sms-mfa-ci-${fn.node.id}`,
        Environment: {
          Variables: Match.objectLike({
            EXPIRY_SCHEDULE_GROUP: 'sms-mfa-ci-challenge-expiry',
            EXPIRY_REPORTER_ARN: reporterArn,
            EXPIRY_SCHEDULER_ROLE_ARN: { 'Fn::GetAtt': [logicalId(expiry.invokeRole), 'Arn'] },
          }),
        },
      });
    }
    template.hasResourceProperties('AWS::Lambda::Function', {
      FunctionName: 'sms-mfa-ci-challenge-expiry-report',
    });
    template.hasResourceProperties('AWS::Lambda::Function', {
      FunctionName: 'sms-mfa-ci-challenge-expiry-schedule',
    });
  });

  it('the schedules’ role is assumable by this account’s Scheduler for this group only, and may invoke the reporter only', () => {
    const roleId = logicalId(expiry.invokeRole);
    const role = template.toJSON().Resources[roleId] as { Properties: Json };
    expect(role.Properties.AssumeRolePolicyDocument).toEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Action: 'sts:AssumeRole',
          Effect: 'Allow',
          Principal: { Service: 'scheduler.amazonaws.com' },
          Condition: {
            StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
            ArnEquals: { 'aws:SourceArn': { 'Fn::GetAtt': [logicalId(expiry.group), 'Arn'] } },
          },
        },
      ],
    });
    expect(policyOf(roleId)).toEqual([
      { Effect: 'Allow', Action: 'lambda:InvokeFunction', Resource: reporterArn },
    ]);
  });

  it('the scheduler may create schedules in the group and pass the invoke role, nothing else of either', () => {
    const statements = policyOf(logicalId(expiry.scheduler.role));
    const invokeRoleArn = { 'Fn::GetAtt': [logicalId(expiry.invokeRole), 'Arn'] };
    const of = (service: string) =>
      statements.filter((s) => asArray(s.Action).some((a) => a.startsWith(service)));
    expect(of('scheduler:')).toEqual([
      { Effect: 'Allow', Action: 'scheduler:CreateSchedule', Resource: scheduleArns },
    ]);
    expect(of('iam:')).toEqual([{ Effect: 'Allow', Action: 'iam:PassRole', Resource: invokeRoleArn }]);
    const services = new Set(statements.flatMap((s) => asArray(s.Action)).map((a) => a.split(':')[0]));
    // Its own logs and traces, its failure queue (data key): no table, no bus.
    expect(services).toEqual(new Set(['logs', 'xray', 'scheduler', 'iam', 'sqs', 'kms']));
  });

  it('the reporter reads and marks challenge items only, puts on the bus, and schedules the next check', () => {
    const statements = policyOf(logicalId(expiry.reporter.role));
    const table = statements.filter((s) => asArray(s.Action).some((a) => a.startsWith('dynamodb:')));
    expect(table).toEqual([
      expect.objectContaining({
        Action: ['dynamodb:GetItem', 'dynamodb:UpdateItem'],
        Condition: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['CHALLENGE#*'] } },
      }),
    ]);
    const actions = new Set(statements.flatMap((s) => asArray(s.Action)));
    expect([...actions].filter((a) => /^(events|scheduler|iam):/.test(a)).sort()).toEqual([
      'events:PutEvents',
      'iam:PassRole',
      'scheduler:CreateSchedule',
    ]);
    expect(statements.find((s) => s.Action === 'events:PutEvents')!.Resource).toEqual({
      'Fn::GetAtt': [logicalId(bus), 'Arn'],
    });
  });

  it('both functions are invoked asynchronously: bounded retries and age, then a failure queue that alarms', () => {
    for (const fn of [expiry.scheduler, expiry.reporter]) {
      template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
        FunctionName: { Ref: logicalId(fn.fn) },
        MaximumRetryAttempts: EXPIRY_RETRY_ATTEMPTS,
        MaximumEventAgeInSeconds: EXPIRY_MAX_EVENT_AGE.toSeconds(),
        DestinationConfig: { OnFailure: { Destination: Match.anyValue() } },
      });
    }
    for (const name of ['challenge-expiry-schedule', 'challenge-expiry-report'])
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        AlarmName: `${name}-failed-events`,
        AlarmDescription: Match.stringLikeRegexp(`sms-mfa-ci-${name}-failed`),
      });
  });

  it('is cdk-nag clean (the construct; the test scaffolding around it is not under test)', () => {
    const findings = unacknowledgedFindings(app).filter((f) => f.path.startsWith('Expiry/ExpiryReports/'));
    expect(describeFindings(findings)).toEqual([]);
  });
});
