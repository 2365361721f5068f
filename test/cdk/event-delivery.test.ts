import type { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EventDelivery, retrySpanSeconds } from '../../cdk/constructs/event-delivery.ts';
import { DEPLOYED_MAX_ATTEMPTS } from '../../shared/domain/webhooks/webhook.ts';
import { constructStack } from './construct-stack.ts';
import { describeFindings, unacknowledgedFindings } from './nag-helpers.ts';

type Statement = { Effect: string; Action: string | string[]; Resource: unknown; Condition?: unknown };
const asArray = <T>(v: T | T[]): T[] => (Array.isArray(v) ? v : [v]);

describe('EventDelivery construct', { timeout: 120_000 }, () => {
  let app: App;
  let template: Template;
  let remove: () => void;
  beforeAll(() => {
    const base = constructStack('Events');
    ({ app, remove } = base);
    const events = new EventDelivery(base.stack, 'Events', {
      ...base.functionProps,
      accessTargets: base.accessTargets,
    });
    events.alarmTo(new Topic(base.stack, 'Alarms'));
    template = Template.fromStack(base.stack);
  });
  afterAll(() => remove());

  it('creates the bus sms-mfa-<stage> and a rule that sends only store events to the queue', () => {
    template.hasResourceProperties('AWS::Events::EventBus', { Name: 'sms-mfa-ci' });
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: { source: ['sms-mfa'], detail: { data: { storeId: [{ exists: true }] } } },
      Targets: [Match.objectLike({ DeadLetterConfig: { Arn: Match.anyValue() } })],
    });
  });

  it('retries through the queue for more than 24 hours, then the dead-letter queue, which alarms', () => {
    expect(retrySpanSeconds()).toBeGreaterThan(24 * 3600);
    template.hasResourceProperties('AWS::SQS::Queue', {
      QueueName: 'sms-mfa-ci-webhook-deliveries',
      SqsManagedSseEnabled: true,
      MessageRetentionPeriod: 14 * 24 * 3600,
      RedrivePolicy: { deadLetterTargetArn: Match.anyValue(), maxReceiveCount: DEPLOYED_MAX_ATTEMPTS },
    });
    template.hasResourceProperties('AWS::SQS::Queue', { QueueName: 'sms-mfa-ci-webhook-dead-letters' });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'sms-mfa-ci-webhook-dead-letters',
      MetricName: 'ApproximateNumberOfMessagesVisible',
      AlarmDescription: Match.stringLikeRegexp('Runbook'),
      AlarmActions: [{ Ref: Match.stringLikeRegexp('Alarms') }],
    });
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
  });

  it('gives the delivery function only its webhooks and their deliveries partitions and its own queue', () => {
    const policies = template.findResources('AWS::IAM::Policy');
    const statements = Object.values(policies).flatMap(
      (p) => (p.Properties as { PolicyDocument: { Statement: Statement[] } }).PolicyDocument.Statement,
    );
    const actions = new Set(statements.flatMap((s) => asArray(s.Action)));
    const services = new Set([...actions].map((a) => a.split(':')[0]));
    expect(services).toEqual(new Set(['logs', 'xray', 'dynamodb', 'kms', 'sqs']));
    const table = statements.filter((s) => asArray(s.Action).some((a) => a.startsWith('dynamodb:')));
    // The webhooks (read) and the deliveries it records (issue 28), each in its own statement.
    expect(table.map((s) => s.Condition)).toEqual(
      expect.arrayContaining([
        { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['WEBHOOK#*'] } },
        { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['WHDELIVERY#*'] } },
      ]),
    );
    expect(table).toHaveLength(2);
    for (const a of ['dynamodb:Scan', 'dynamodb:BatchWriteItem', 'sqs:DeleteQueue', 'sqs:PurgeQueue'])
      expect(actions.has(a), a).toBe(false);
    template.hasResourceProperties('AWS::Lambda::Function', {
      FunctionName: 'sms-mfa-ci-webhook-delivery',
      Timeout: 60,
      Environment: { Variables: Match.objectLike({ WEBHOOK_QUEUE_URL: Match.anyValue() }) },
    });
  });

  it('is cdk-nag clean (the construct; the test scaffolding around it is not under test)', () => {
    const findings = unacknowledgedFindings(app).filter((f) => f.path.startsWith('Events/Events/'));
    // Only the scaffolding's own two findings (an unrotated secret, an unencrypted topic) are outside it.
    expect(unacknowledgedFindings(app).length).toBeLessThanOrEqual(2);
    expect(describeFindings(findings)).toEqual([]);
  });
});
