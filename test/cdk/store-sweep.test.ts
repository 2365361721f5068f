import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { App, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StoreSweep } from '../../cdk/constructs/store-sweep.ts';
import { ServiceKeys } from '../../cdk/constructs/keys.ts';
import { ServiceTable } from '../../cdk/constructs/table.ts';
import { PROJECT_ROOT } from '../../cdk/sms-mfa-stack.ts';
import { STORE_REMOVED_FILTER } from '../../shared/adapters/dynamodb/store-stream.ts';
import { describeFindings, unacknowledgedFindings } from './nag-helpers.ts';

describe('StoreSweep construct', { timeout: 120_000 }, () => {
  let outdir: string;
  let app: App;
  let template: Template;
  let sweep: StoreSweep;
  beforeAll(() => {
    outdir = mkdtempSync(path.join(tmpdir(), 'sms-mfa-sweep-cdk-'));
    app = new App({ outdir });
    const stack = new Stack(app, 'Sweep');
    const keys = new ServiceKeys(stack, 'Keys', { stage: 'ci', removalPolicy: RemovalPolicy.DESTROY });
    const table = new ServiceTable(stack, 'Data', {
      removalPolicy: RemovalPolicy.DESTROY,
      deletionProtection: false,
      encryptionKey: keys.data,
    });
    const pepperSecret = new Secret(stack, 'Pepper');
    const topic = new Topic(stack, 'Alarms');
    sweep = new StoreSweep(stack, 'StoreSweep', {
      stage: 'ci',
      projectRoot: PROJECT_ROOT,
      environment: { TABLE_NAME: table.table.tableName },
      logRetention: RetentionDays.ONE_MONTH,
      logRemovalPolicy: RemovalPolicy.DESTROY,
      logEncryptionKey: keys.logs,
      table: table.table,
      accessTargets: { table: table.table, secretNamePrefix: 'sms-mfa/ci/', pepperSecret, keys },
    });
    sweep.alarmTo(topic);
    template = Template.fromStack(stack);
  });
  afterAll(() => rmSync(outdir, { recursive: true, force: true }));

  it('turns on a keys-only stream and feeds only store removals to the sweeper, within 15 minutes', () => {
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      StreamSpecification: { StreamViewType: 'KEYS_ONLY' },
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
    expect(actions.some((a) => a.startsWith('secretsmanager:') || a.startsWith('sns:'))).toBe(false);
  });

  it('is cdk-nag clean (the construct; the stack test checks the whole app)', () => {
    expect(describeFindings(unacknowledgedFindings(sweep))).toEqual([]);
  });
});
