import { Match, Template } from 'aws-cdk-lib/assertions';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StoreSweep, SWEEP_AGAIN_RECEIVES } from '../../cdk/constructs/store-sweep.ts';
import { STORE_REMOVED_FILTER } from '../../shared/adapters/dynamodb/store-stream.ts';
import { SWEEP_AGAIN_AFTER_SECONDS } from '../../shared/domain/identity-stores/deleted-store-sweep.ts';
import { constructStack } from './construct-stack.ts';
import { describeFindings, unacknowledgedFindings } from './nag-helpers.ts';

describe('StoreSweep construct', { timeout: 120_000 }, () => {
  let template: Template;
  let sweep: StoreSweep;
  let remove: () => void;
  beforeAll(() => {
    const base = constructStack('Sweep');
    remove = base.remove;
    sweep = new StoreSweep(base.stack, 'StoreSweep', {
      ...base.functionProps,
      table: base.table,
      accessTargets: base.accessTargets,
    });
    sweep.alarmTo(new Topic(base.stack, 'Alarms'));
    template = Template.fromStack(base.stack);
  });
  afterAll(() => remove());

  it('turns on the stream and feeds only store removals to the sweeper, within 15 minutes', () => {
    // New and old images: the stream aggregates (usage ledger) read the items; the sweep's filter the keys.
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      StreamSpecification: { StreamViewType: 'NEW_AND_OLD_IMAGES' },
    });
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FilterCriteria: { Filters: [{ Pattern: JSON.stringify(STORE_REMOVED_FILTER) }] },
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      BisectBatchOnFunctionError: true,
      MaximumRecordAgeInSeconds: 900,
      StartingPosition: 'TRIM_HORIZON',
      DestinationConfig: { OnFailure: { Destination: Match.anyValue() } },
    });
    template.hasResourceProperties('AWS::SQS::Queue', { SqsManagedSseEnabled: true });
  });

  it('alarms (and clears) on a record in the failure queue', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Namespace: 'AWS/SQS',
      AlarmActions: [{ Ref: Match.stringLikeRegexp('Alarms') }],
      OKActions: [{ Ref: Match.stringLikeRegexp('Alarms') }],
    });
  });

  it('runs a second pass from the sweep-again queue, which dead-letters into the alarmed failure queue in time', () => {
    const queues = template.findResources('AWS::SQS::Queue');
    const [againId, again] = Object.entries(queues).find(([id]) => id.includes('Again')) ?? [];
    const [failuresId] = Object.entries(queues).find(([id]) => id.includes('Failures')) ?? [];
    expect(again?.Properties).toMatchObject({
      SqsManagedSseEnabled: true,
      VisibilityTimeout: 120,
      RedrivePolicy: {
        deadLetterTargetArn: { 'Fn::GetAtt': [failuresId, 'Arn'] },
        maxReceiveCount: SWEEP_AGAIN_RECEIVES,
      },
    });
    // The delay, then every receive running to the function's timeout, still ends within the 15 minutes.
    expect(SWEEP_AGAIN_AFTER_SECONDS + SWEEP_AGAIN_RECEIVES * 120).toBeLessThanOrEqual(900);
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: { 'Fn::GetAtt': [againId, 'Arn'] },
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ SWEEP_AGAIN_QUEUE_URL: { Ref: againId } }) },
    });
  });

  it('gives the sweeper the table and its stream, nothing else', () => {
    const policies = Object.values(template.findResources('AWS::IAM::Policy'));
    const actions = policies.flatMap((p) =>
      (p.Properties.PolicyDocument.Statement as Array<{ Action: string | string[] }>).flatMap((s) =>
        Array.isArray(s.Action) ? s.Action : [s.Action],
      ),
    );
    expect(
      actions.filter((a) => !a.startsWith('dynamodb:') && !a.startsWith('logs:') && !a.startsWith('xray:')),
    ).toEqual(expect.arrayContaining(['sqs:SendMessage']));
    // Deleting the store's integration secrets, and nothing else of Secrets Manager.
    expect(actions.filter((a) => a.startsWith('secretsmanager:'))).toEqual(['secretsmanager:DeleteSecret']);
    expect(actions.some((a) => a.startsWith('sns:'))).toBe(false);
  });

  it('is cdk-nag clean (the construct; the stack test checks the whole app)', () => {
    expect(describeFindings(unacknowledgedFindings(sweep))).toEqual([]);
  });
});
