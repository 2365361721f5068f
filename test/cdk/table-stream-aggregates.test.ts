import { Match, Template } from 'aws-cdk-lib/assertions';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TableStreamAggregates } from '../../cdk/constructs/table-stream-aggregates.ts';
import { USAGE_RECORD_FILTER } from '../../shared/adapters/dynamodb/usage-stream.ts';
import { constructStack } from './construct-stack.ts';
import { describeFindings, unacknowledgedFindings } from './nag-helpers.ts';

describe('TableStreamAggregates construct', { timeout: 120_000 }, () => {
  let template: Template;
  let aggregates: TableStreamAggregates;
  let remove: () => void;
  beforeAll(() => {
    const base = constructStack('Aggregates');
    remove = base.remove;
    aggregates = new TableStreamAggregates(base.stack, 'StreamAggregates', {
      ...base.functionProps,
      table: base.table,
      accessTargets: base.accessTargets,
    });
    aggregates.alarmTo(new Topic(base.stack, 'Alarms'));
    template = Template.fromStack(base.stack);
  });
  afterAll(() => remove());

  it('reads item images, only of send records, challenges and their endings, with a failure queue', () => {
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      StreamSpecification: { StreamViewType: 'NEW_AND_OLD_IMAGES' },
    });
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      // The usage ledger's records, and the challenges routing credits approvals from (either matches).
      FilterCriteria: {
        Filters: [
          { Pattern: JSON.stringify(USAGE_RECORD_FILTER) },
          { Pattern: JSON.stringify({ dynamodb: { NewImage: { entity: { S: ['challenge'] } } } }) },
        ],
      },
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      BisectBatchOnFunctionError: true,
      StartingPosition: 'TRIM_HORIZON',
      DestinationConfig: { OnFailure: { Destination: Match.anyValue() } },
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/SQS',
      AlarmActions: [{ Ref: Match.stringLikeRegexp('Alarms') }],
    });
  });

  it('may touch only the usage ledger, the delivery statistics and challenge histories in the table, and the stream', () => {
    const statements = Object.values(template.findResources('AWS::IAM::Policy')).flatMap(
      (p) =>
        p.Properties.PolicyDocument.Statement as Array<{ Action: string | string[]; Condition?: unknown }>,
    );
    const actions = statements.flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action]));
    const itemActions = actions.filter((a) =>
      /^dynamodb:(GetItem|PutItem|UpdateItem|DeleteItem|Query|Scan|BatchWriteItem|BatchGetItem)$/.test(a),
    );
    expect(new Set(itemActions)).toEqual(
      new Set(['dynamodb:GetItem', 'dynamodb:UpdateItem', 'dynamodb:Query']),
    );
    for (const keys of ['USAGE#*', 'ROUTESTATS#*', 'CHALLENGE#*'])
      expect(JSON.stringify(statements)).toContain(keys);
    expect(actions.some((a) => a.startsWith('secretsmanager:') || a.startsWith('sns:'))).toBe(false);
  });

  it('is cdk-nag clean (the construct; the stack test checks the whole app)', () => {
    expect(describeFindings(unacknowledgedFindings(aggregates))).toEqual([]);
  });
});
