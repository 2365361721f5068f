import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { App, CfnResource, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { HttpApi, HttpStage } from 'aws-cdk-lib/aws-apigatewayv2';
import { AttributeType, BillingMode, Table } from 'aws-cdk-lib/aws-dynamodb';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Code, Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import type { IConstruct } from 'constructs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, type BuiltApp } from '../../cdk/app.ts';
import { readStackConfig } from '../../cdk/config.ts';
import {
  chunk,
  MAX_METRICS_PER_ALARM,
  MIN_PROVIDER_ATTEMPTS,
  MIN_REQUESTS_FOR_5XX_RATE,
  Monitoring,
} from '../../cdk/constructs/monitoring.ts';
import {
  MIN_SENDS_FOR_REROUTE_RATE,
  REROUTE_RATE_ALARM_PERCENT,
} from '../../cdk/constructs/reroute-alarms.ts';
import { FUNCTION_RUNTIME } from '../../cdk/constructs/function-bundle.ts';
import { GSI1 } from '../../shared/adapters/dynamodb/table-definition.ts';
import { SIDE_EFFECT_KINDS } from '../../shared/domain/side-effects.ts';
import { routes, WORKERS } from '../../shared/routes.ts';
import { acknowledgements, describeFindings, rawFindings, unacknowledgedFindings } from './nag-helpers.ts';
import { withNestedStacks } from './nested-resources.ts';

type Json = Record<string, unknown>;
type Resource = { Type: string; Properties: Json };
type Dimension = { Name: string; Value: unknown };
/** One metric an alarm reads, whether the alarm has a single metric or metric math. */
type MetricRead = {
  namespace: string;
  metricName: string;
  dimensions: Dimension[];
  stat: string;
  period: number;
};
type MetricQuery = {
  Id: string;
  Expression?: string;
  Period?: number;
  MetricStat?: {
    Metric: { Namespace: string; MetricName: string; Dimensions?: Dimension[] };
    Period: number;
    Stat: string;
  };
};

const STAGE = 'mon';
const EMAIL = 'ops@example.com';
const FAIL_SYNTH_ON_VALIDATION_ERRORS = '@aws-cdk/core:failSynthOnValidationErrors';
const SERVICE_DIMENSION = [{ Name: 'service', Value: 'sms-mfa' }];

function metricsRead(alarm: Resource): MetricRead[] {
  const p = alarm.Properties;
  if (p.MetricName) {
    return [
      {
        namespace: p.Namespace as string,
        metricName: p.MetricName as string,
        dimensions: (p.Dimensions as Dimension[] | undefined) ?? [],
        stat: (p.Statistic ?? p.ExtendedStatistic) as string,
        period: p.Period as number,
      },
    ];
  }
  return (p.Metrics as MetricQuery[])
    .filter((q) => q.MetricStat)
    .map(({ MetricStat: s }) => ({
      namespace: s!.Metric.Namespace,
      metricName: s!.Metric.MetricName,
      dimensions: s!.Metric.Dimensions ?? [],
      stat: s!.Stat,
      period: s!.Period,
    }));
}

/** The expression the alarm compares with its threshold (undefined for a single-metric alarm). */
function returnedExpression(alarm: Resource): MetricQuery | undefined {
  const queries = alarm.Properties.Metrics as (MetricQuery & { ReturnData?: boolean })[] | undefined;
  return queries?.find((q) => q.Expression !== undefined && q.ReturnData !== false);
}

const reads = (alarm: Resource, namespace: string, metricName: string) =>
  metricsRead(alarm).filter((m) => m.namespace === namespace && m.metricName === metricName);

/** The alarm reads each of these service-wide, summed. */
function expectServiceSums(alarm: Resource, metricNames: string[]): void {
  for (const metricName of metricNames) {
    const [m] = reads(alarm, 'SmsMfa', metricName);
    expect(m, metricName).toBeDefined();
    expect(m!.dimensions).toEqual(SERVICE_DIMENSION);
    expect(m!.stat).toBe('Sum');
  }
}

const dimension = (m: MetricRead, name: string) => m.dimensions.find((d) => d.Name === name)?.Value;

/** One of the service's metrics as an alarm reads it: service-wide, over 5 minutes. */
const serviceMetric = (metricName: string, stat: string) => ({
  namespace: 'SmsMfa',
  metricName,
  dimensions: SERVICE_DIMENSION,
  stat,
  period: 300,
});

describe('monitoring in the full stack', { timeout: 180_000 }, () => {
  let outdir: string;
  let built: BuiltApp;
  let template: Template;
  let resources: Record<string, Resource>;
  let synthError: unknown;
  const ofType = (type: string) => Object.entries(resources).filter(([, r]) => r.Type === type);
  const alarms = () => ofType('AWS::CloudWatch::Alarm').map(([, r]) => r);
  const alarmNamed = (suffix: string) => {
    const found = alarms().filter((a) => a.Properties.AlarmName === `sms-mfa-${STAGE}-${suffix}`);
    expect(found, `alarm ${suffix}`).toHaveLength(1);
    return found[0]!;
  };
  const only = (type: string) => {
    const found = ofType(type);
    expect(found, type).toHaveLength(1);
    return found[0]!;
  };

  // One synth of the whole app (it bundles every function, 30-60 s on two cores), with an e-mail address
  // and thresholds that differ from the defaults, so each of them is seen to reach the template.
  const context = {
    stage: STAGE,
    // CloudFront + WAF are edge.test.ts's subject.
    edgeProtection: false,
    alarmEmail: EMAIL,
    codesSentAlarmThreshold: 750,
    providerFailureRateThreshold: 15,
  };

  beforeAll(() => {
    outdir = mkdtempSync(path.join(tmpdir(), 'sms-mfa-mon-'));
    built = buildApp(context, { outdir });
    try {
      built.app.synth();
    } catch (error) {
      synthError = error;
      built = buildApp({ ...context, [FAIL_SYNTH_ON_VALIDATION_ERRORS]: false }, { outdir });
      built.app.synth();
    }
    template = Template.fromStack(built.stack);
    // The alarms, the dashboard and the log queries are in the monitoring's nested stack.
    resources = withNestedStacks(built.stack);
  }, 600_000);

  afterAll(() => {
    if (outdir) rmSync(outdir, { recursive: true, force: true });
  });

  it('keeps cdk-nag clean with the e-mail subscription, and acknowledges only real findings', () => {
    expect(describeFindings(unacknowledgedFindings(built.app))).toEqual([]);
    expect(synthError === undefined ? '' : String(synthError)).toBe('');
    expect(Annotations.fromStack(built.stack).findWarning('*', Match.anyValue())).toEqual([]);
    const raw = rawFindings(built.app);
    const monitoringAcks = acknowledgements(built.app).filter((a) =>
      a.path.startsWith(`${built.stack.mfa.node.path}/Monitoring`),
    );
    // The subscription, and the failure queues (AsyncInvocation) of the notifier, the approval
    // un-count and the two expiry functions for the two SQS rules.
    expect(monitoringAcks.map((a) => a.id).sort()).toEqual([
      ...Array<string>(4).fill('AwsSolutions-SQS3'),
      'Serverless-SNSRedrivePolicy',
      ...Array<string>(4).fill('Serverless-SQSRedrivePolicy'),
    ]);
    for (const ack of monitoringAcks) {
      expect(
        raw.some((f) => f.id === ack.id && (f.path === ack.path || f.path.startsWith(`${ack.path}/`))),
      ).toBe(true);
      expect(ack.reason.length).toBeGreaterThan(60);
      // On the subscription or the queue alone, not the topic or the whole construct.
      const construct = ack.path
        .split('/')
        .slice(1)
        .reduce<IConstruct>((c, id) => c.node.findChild(id), built.stack);
      expect(construct.node.findAll().filter((c) => CfnResource.isCfnResource(c))).toHaveLength(1);
    }
  });

  it('sends every alarm, and its return to OK, to the topic, with a description of what to do', () => {
    const [topicId] = only('AWS::SNS::Topic');
    expect(alarms().length).toBeGreaterThanOrEqual(6);
    for (const alarm of alarms()) {
      const p = alarm.Properties;
      const name = String(p.AlarmName);
      expect(p.AlarmActions, name).toEqual([{ Ref: topicId }]);
      expect(p.OKActions, name).toEqual([{ Ref: topicId }]);
      expect(typeof p.AlarmDescription === 'string' && p.AlarmDescription.length > 100, name).toBe(true);
      expect((p.AlarmDescription as string).length, `${name}: CloudWatch allows 1024`).toBeLessThanOrEqual(
        1024,
      );
      expect(name.startsWith(`sms-mfa-${STAGE}-`), name).toBe(true);
      expect(p.TreatMissingData, name).toBe('notBreaching');
      expect(p.EvaluationPeriods, name).toBe(1);
      // Every alarm judges 5 minutes but the voice spend: a sum per hour (test/cdk/voice-switch.test.ts).
      const period = name.endsWith('-voice-spend-per-hour') ? 3600 : 300;
      for (const m of metricsRead(alarm)) expect(m.period, `${name} ${m.metricName}`).toBe(period);
      // The hard CloudWatch limit for metric math alarms; CloudFormation would reject more.
      expect(metricsRead(alarm).length, name).toBeLessThanOrEqual(MAX_METRICS_PER_ALARM);
    }
  });

  it('a. API 5xx rate: 5xx / Count of the $default stage, above 1%, with a minimum request volume', () => {
    const alarm = alarmNamed('api-5xx-rate');
    const [apiId] = only('AWS::ApiGatewayV2::Api');
    for (const metricName of ['5xx', 'Count']) {
      const [m] = reads(alarm, 'AWS/ApiGateway', metricName);
      expect(m, metricName).toBeDefined();
      expect(m!.stat).toBe('Sum');
      expect(dimension(m!, 'ApiId')).toEqual({ Ref: apiId });
      expect(dimension(m!, 'Stage')).toBe('$default');
    }
    const expression = returnedExpression(alarm)!.Expression!;
    expect(expression).toContain(`requests > ${MIN_REQUESTS_FOR_5XX_RATE}`);
    expect(expression).toMatch(/100 \* FILL\(errors, 0\) \/ requests/);
    expect(alarm.Properties).toMatchObject({ Threshold: 1, ComparisonOperator: 'GreaterThanThreshold' });
  });

  it.each([
    ['b. errors', 'lambda-errors', 'Errors'],
    ['c. throttles', 'lambda-throttles', 'Throttles'],
  ])(
    '%s: summed over every function, in groups CloudWatch accepts, firing on the first one',
    (_, prefix, metricName) => {
      const group = alarms().filter((a) =>
        String(a.Properties.AlarmName).startsWith(`sms-mfa-${STAGE}-${prefix}-`),
      );
      const functionIds = ofType('AWS::Lambda::Function').map(([id]) => id);
      // Every route function, the authorizer and every worker, each in exactly one group.
      expect(functionIds).toHaveLength(routes.length + 1 + WORKERS.length);
      expect(group).toHaveLength(Math.ceil(functionIds.length / MAX_METRICS_PER_ALARM));
      const covered = group.flatMap((a) =>
        reads(a, 'AWS/Lambda', metricName).map((m) => (dimension(m, 'FunctionName') as { Ref: string }).Ref),
      );
      expect(covered.sort()).toEqual(functionIds.sort());
      for (const alarm of group) {
        const expression = returnedExpression(alarm)!;
        expect(expression.Expression).toMatch(/^SUM\(\[m0(, m\d+)*\]\)$/);
        for (const m of reads(alarm, 'AWS/Lambda', metricName)) expect(m.stat).toBe('Sum');
        expect(alarm.Properties).toMatchObject({
          Threshold: 1,
          ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        });
      }
    },
  );

  it('d. provider failure rate: ProviderFailure / (ProviderFailure + ProviderSend) above the context threshold', () => {
    const alarm = alarmNamed('provider-failure-rate');
    expectServiceSums(alarm, ['ProviderFailure', 'ProviderSend']);
    expect(returnedExpression(alarm)!.Expression).toBe(
      `IF(SUM([failures, sends]) >= ${MIN_PROVIDER_ATTEMPTS}, 100 * FILL(failures, 0) / SUM([failures, sends]), 0)`,
    );
    expect(alarm.Properties).toMatchObject({
      Threshold: 15,
      ComparisonOperator: 'GreaterThanThreshold',
      TreatMissingData: 'notBreaching',
    });
  });

  it('j. delivery rate: SmsDelivered / (SmsDelivered + SmsDeliveryFailed) below 80%, with 20 receipts', () => {
    const alarm = alarmNamed('delivery-rate-low');
    expectServiceSums(alarm, ['SmsDelivered', 'SmsDeliveryFailed']);
    expect(returnedExpression(alarm)!.Expression).toBe(
      'IF(SUM([delivered, undelivered]) >= 20, 100 * FILL(delivered, 0) / SUM([delivered, undelivered]), 100)',
    );
    expect(alarm.Properties).toMatchObject({ Threshold: 80, ComparisonOperator: 'LessThanThreshold' });
    expect(String(alarm.Properties.AlarmDescription)).toContain('gateway type and country');
  });

  it('e. codes sent: CodeSent summed over 5 minutes above the context threshold', () => {
    const alarm = alarmNamed('codes-sent-spike');
    expect(metricsRead(alarm)).toEqual([serviceMetric('CodeSent', 'Sum')]);
    expect(alarm.Properties).toMatchObject({ Threshold: 750, ComparisonOperator: 'GreaterThanThreshold' });
  });

  it('j. blocked sends: SendBlocked summed over 5 minutes, at 10 or more; k. a spend budget 80 % used (BudgetUsedPercent maximum)', () => {
    const blocked = alarmNamed('send-blocked');
    expect(metricsRead(blocked)).toEqual([serviceMetric('SendBlocked', 'Sum')]);
    expect(blocked.Properties).toMatchObject({
      Threshold: 10,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    });
    expect(String(blocked.Properties.AlarmDescription)).toContain('blocks list');
    const budget = alarmNamed('spend-budget-80-percent');
    expect(metricsRead(budget)).toEqual([serviceMetric('BudgetUsedPercent', 'Maximum')]);
    expect(budget.Properties).toMatchObject({
      Threshold: 80,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    });
  });

  it('l. side paths: SideEffectFailed summed over 5 minutes, at 5 or more, naming the kinds', () => {
    const alarm = alarmNamed('side-effect-failed');
    expect(metricsRead(alarm)).toEqual([serviceMetric('SideEffectFailed', 'Sum')]);
    expect(alarm.Properties).toMatchObject({
      Threshold: 5,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    });
    for (const kind of SIDE_EFFECT_KINDS) expect(String(alarm.Properties.AlarmDescription)).toContain(kind);
  });

  it('m. a gateway opened: GatewayOpened summed over 5 minutes, at 1 or more', () => {
    const alarm = alarmNamed('gateway-open');
    expect(metricsRead(alarm)).toEqual([serviceMetric('GatewayOpened', 'Sum')]);
    expect(alarm.Properties).toMatchObject({
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    });
    expect(String(alarm.Properties.AlarmDescription)).toContain('/admin/gateways/{gatewayId}');
  });

  it('n. reroute rate: Rerouted / CodeSent above 10%, judged with 20 codes sent', () => {
    const alarm = alarmNamed('reroute-rate-high');
    expectServiceSums(alarm, ['Rerouted', 'CodeSent']);
    expect(returnedExpression(alarm)!.Expression).toBe(
      `IF(sent >= ${MIN_SENDS_FOR_REROUTE_RATE}, 100 * FILL(rerouted, 0) / sent, 0)`,
    );
    expect(alarm.Properties).toMatchObject({
      Threshold: REROUTE_RATE_ALARM_PERCENT,
      ComparisonOperator: 'GreaterThanThreshold',
    });
    expect(String(alarm.Properties.AlarmDescription)).toContain('code.rerouted');
  });

  it('o. the reroute jobs: their dead-letter queue alarms on the first message', () => {
    const alarm = alarmNamed('reroute-jobs-failed');
    const queueId = built.stack.resolve(
      (built.stack.mfa.rerouteJobs.deadLetters.node.defaultChild as CfnResource).logicalId,
    ) as string;
    const [m] = reads(alarm, 'AWS/SQS', 'ApproximateNumberOfMessagesVisible');
    expect(dimension(m!, 'QueueName')).toEqual({ 'Fn::GetAtt': [queueId, 'QueueName'] });
    expect(alarm.Properties).toMatchObject({ Threshold: 0, ComparisonOperator: 'GreaterThanThreshold' });
  });

  it('p. the stream consumer: its failure queue alarms too', () => {
    const alarm = alarmNamed('stream-aggregates-failed');
    expect(reads(alarm, 'AWS/SQS', 'ApproximateNumberOfMessagesVisible')).toHaveLength(1);
  });

  it('f. DynamoDB: read and write throttle events of the table and its index', () => {
    const alarm = alarmNamed('dynamodb-throttles');
    const [tableId] = only('AWS::DynamoDB::Table');
    for (const metricName of ['ReadThrottleEvents', 'WriteThrottleEvents']) {
      const found = reads(alarm, 'AWS/DynamoDB', metricName);
      expect(found.map((m) => m.dimensions)).toEqual(
        expect.arrayContaining([
          [{ Name: 'TableName', Value: { Ref: tableId } }],
          [
            { Name: 'GlobalSecondaryIndexName', Value: GSI1.name },
            { Name: 'TableName', Value: { Ref: tableId } },
          ],
        ]),
      );
    }
    expect(alarm.Properties).toMatchObject({
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    });
  });

  it('has exactly the alarms above and nothing else', () => {
    const names = alarms()
      .map((a) => String(a.Properties.AlarmName).replace(`sms-mfa-${STAGE}-`, ''))
      .map((n) => n.replace(/-\d+$/, '-N'));
    expect([...new Set(names)].sort()).toEqual([
      'api-5xx-rate',
      'api-key-refused-spike',
      'approval-ratio-low',
      'approval-uncount-dropped-events',
      'approval-uncount-failed-events',
      'approval-uncount-invoke-failed',
      'challenge-expiry-report-dropped-events',
      'challenge-expiry-report-failed-events',
      'challenge-expiry-schedule-dropped-events',
      'challenge-expiry-schedule-failed-events',
      'challenge-expiry-undelivered',
      'codes-sent-spike',
      'delivery-rate-low',
      'dynamodb-throttles',
      'gateway-open',
      'lambda-errors-N',
      'lambda-throttles-N',
      'provider-failure-rate',
      'replaced-number-notifier-dropped-events',
      'replaced-number-notifier-failed-events',
      'reroute-jobs-failed',
      'reroute-rate-high',
      'send-blocked',
      'side-effect-failed',
      'sms-monthly-spend',
      'spend-budget-80-percent',
      'store-sweep-failed',
      'stream-aggregates-failed',
      'voice-spend-per-hour',
      'webhook-dead-letters',
    ]);
  });

  it('encrypts the topic with a rotated key that CloudWatch may use for these alarms only, and requires TLS', () => {
    const [, topic] = only('AWS::SNS::Topic');
    const topicKey = built.stack.monitoring.topic.masterKey!.node.defaultChild as CfnResource;
    const keyId = built.stack.resolve(topicKey.logicalId) as string;
    const key = resources[keyId]!;
    expect(topic.Properties.KmsMasterKeyId).toEqual({ 'Fn::GetAtt': [keyId, 'Arn'] });
    expect(key.Properties.EnableKeyRotation).toBe(true);

    const alarmArnPattern = {
      'Fn::Join': [
        '',
        [
          'arn:',
          { Ref: 'AWS::Partition' },
          ':cloudwatch:',
          { Ref: 'AWS::Region' },
          ':',
          { Ref: 'AWS::AccountId' },
          `:alarm:sms-mfa-${STAGE}-*`,
        ],
      ],
    };
    const fromTheseAlarms = {
      StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
      ArnLike: { 'aws:SourceArn': alarmArnPattern },
    };
    const keyStatements = (key.Properties.KeyPolicy as { Statement: Json[] }).Statement;
    expect(keyStatements).toContainEqual(
      expect.objectContaining({
        Effect: 'Allow',
        Principal: { Service: 'cloudwatch.amazonaws.com' },
        Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        Condition: fromTheseAlarms,
      }),
    );
    const [, policy] = only('AWS::SNS::TopicPolicy');
    const topicStatements = (policy.Properties.PolicyDocument as { Statement: Json[] }).Statement;
    expect(topicStatements).toContainEqual(
      expect.objectContaining({
        Effect: 'Allow',
        Principal: { Service: 'cloudwatch.amazonaws.com' },
        Action: 'sns:Publish',
        Condition: fromTheseAlarms,
      }),
    );
    expect(topicStatements).toContainEqual(
      expect.objectContaining({
        Effect: 'Deny',
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
      }),
    );
    // Every alarm's name falls under the pattern, or CloudWatch would be refused and notify nobody.
    for (const alarm of alarms())
      expect(String(alarm.Properties.AlarmName)).toMatch(new RegExp(`^sms-mfa-${STAGE}-`));
  });

  it('subscribes the alarmEmail address to the topic', () => {
    const [topicId] = only('AWS::SNS::Topic');
    const [, subscription] = only('AWS::SNS::Subscription');
    expect(subscription.Properties).toMatchObject({
      Protocol: 'email',
      Endpoint: EMAIL,
      TopicArn: { Ref: topicId },
    });
  });

  it('has one dashboard, named after the stage, showing every metric the service emits and every alarm', () => {
    const [, dashboard] = only('AWS::CloudWatch::Dashboard');
    // Dashboard names are global to the account: the region keeps a second region's deployment apart.
    expect(dashboard.Properties.DashboardName).toEqual({
      'Fn::Join': ['', [`sms-mfa-${STAGE}-`, { Ref: 'AWS::Region' }]],
    });
    const raw = dashboard.Properties.DashboardBody as { 'Fn::Join': [string, unknown[]] };
    // Tokens (ARNs, ids) sit inside JSON strings; a placeholder keeps the body parseable.
    const body = JSON.parse(
      raw['Fn::Join'][1].map((part) => (typeof part === 'string' ? part : 'TOKEN')).join(''),
    ) as { widgets: { type: string; properties: { metrics?: unknown[][]; alarms?: string[] } }[] };
    const shown = body.widgets.flatMap((w) =>
      (w.properties.metrics ?? []).map((m) =>
        typeof m[0] === 'string'
          ? { metric: `${m[0]} ${String(m[1])}`, stat: (m.at(-1) as { stat?: string }).stat }
          : { metric: `expression ${(m[0] as { expression: string }).expression}`, stat: undefined },
      ),
    );
    const metrics = shown.map((m) => m.metric);
    for (const name of [
      'AWS/ApiGateway 5xx',
      'AWS/ApiGateway 4xx',
      'AWS/ApiGateway Count',
      'AWS/ApiGateway Latency',
      'AWS/Lambda Errors',
      'AWS/Lambda Throttles',
      'AWS/Lambda Invocations',
      'AWS/Lambda Duration',
      'SmsMfa CodeSent',
      'SmsMfa VerificationAttempt',
      'SmsMfa VerificationApproved',
      'SmsMfa VerificationRefused',
      'SmsMfa SendRefused',
      'SmsMfa ProviderSend',
      'SmsMfa ProviderFailure',
      'AWS/DynamoDB ReadThrottleEvents',
      'AWS/DynamoDB WriteThrottleEvents',
    ]) {
      expect(metrics, name).toContain(name);
    }
    // Breakdowns whose dimension values are only known at run time.
    expect(metrics.filter((m) => m.startsWith('expression SEARCH('))).toEqual([
      // The fraud guard: blocks, spend, budget levels and conversion (sent and approved) by country.
      "expression SEARCH('{SmsMfa,country,reason,service} MetricName=\"SendBlocked\"', 'Sum', 300)",
      "expression SEARCH('{SmsMfa,country,reason,service} MetricName=\"SendFlagged\"', 'Sum', 300)",
      "expression SEARCH('{SmsMfa,country,service} MetricName=\"EstimatedSpend\"', 'Sum', 300)",
      "expression SEARCH('{SmsMfa,budget,country,service} MetricName=\"BudgetUsedPercent\"', 'Maximum', 300)",
      "expression SEARCH('{SmsMfa,country,purpose,service} MetricName=\"CodeSent\"', 'Sum', 300)",
      "expression SEARCH('{SmsMfa,country,purpose,service} MetricName=\"VerificationApproved\"', 'Sum', 300)",
      "expression SEARCH('{SmsMfa,gatewayType,kind,service} MetricName=\"ProviderFailure\"', 'Sum', 300)",
      "expression SEARCH('{SmsMfa,gatewayType,service} MetricName=\"ProviderLatency\"', 'p95', 300)",
      // Delivery receipts and time to delivery by gateway type and country.
      "expression SEARCH('{SmsMfa,country,gatewayType,service} MetricName=\"SmsDelivered\"', 'Sum', 300)",
      "expression SEARCH('{SmsMfa,country,gatewayType,service} MetricName=\"SmsDeliveryFailed\"', 'Sum', 300)",
      "expression SEARCH('{SmsMfa,country,gatewayType,service} MetricName=\"TimeToDelivery\"', 'p95', 300)",
      // Gateway health (transport outcomes, openings) and conversion per gateway and country.
      "expression SEARCH('{SmsMfa,gatewayId,outcome,service} MetricName=\"GatewayTransport\"', 'Sum', 300)",
      "expression SEARCH('{SmsMfa,gatewayId,service} MetricName=\"GatewayOpened\"', 'Sum', 300)",
      "expression SEARCH('{SmsMfa,country,gatewayId,service} MetricName=\"GatewayAccepted\"', 'Sum', 300)",
      "expression SEARCH('{SmsMfa,country,gatewayId,service} MetricName=\"GatewayApproved\"', 'Sum', 300)",
    ]);
    const latencyStats = shown.filter((m) => m.metric === 'AWS/ApiGateway Latency').map((m) => m.stat);
    expect(latencyStats).toEqual(['p50', 'p95', 'p99']);
    // Every Lambda function's duration, each on its own line.
    expect(shown.filter((m) => m.metric === 'AWS/Lambda Duration')).toHaveLength(
      routes.length + 1 + WORKERS.length,
    );
    // The alarm status widget lists every alarm.
    const statusWidgets = body.widgets.filter((w) => w.type === 'alarm');
    expect(statusWidgets).toHaveLength(1);
    // The store sweep's failure-queue alarm, the webhook dead-letter alarm, the un-count rule's DLQ alarm,
    // the expiry rule's undelivered alarm and the stream aggregates' failure alarm are their own
    // constructs' (store-sweep.ts, event-delivery.ts, approval-uncount.ts, expiry-reports.ts,
    // table-stream-aggregates.ts) and the reroute jobs' dead-letter alarm (reroute-jobs.ts), not yet on the
    // dashboard.
    expect(statusWidgets[0]!.properties.alarms).toHaveLength(alarms().length - 6);
    const rawText = JSON.stringify(raw);
    for (const [alarmId] of ofType('AWS::CloudWatch::Alarm').filter(
      ([id]) =>
        !['StoreSweep', 'Events', 'ApprovalUncount', 'ExpiryReports', 'StreamAggregates', 'RerouteJobs'].some(
          (prefix) => id.startsWith(prefix),
        ),
    )) {
      expect(rawText).toContain(JSON.stringify({ 'Fn::GetAtt': [alarmId, 'Arn'] }));
    }
  });

  it('outputs the API URL, table name, dashboard name and alarm topic ARN', () => {
    const [tableId] = only('AWS::DynamoDB::Table');
    const [topicId] = only('AWS::SNS::Topic');
    const [dashboardId] = only('AWS::CloudWatch::Dashboard');
    template.hasOutput('ApiUrl', { Value: Match.objectLike({ 'Fn::Join': Match.anyValue() }) });
    template.hasOutput('TableName', { Value: { Ref: tableId } });
    // The dashboard is the nested stack's: the main stack's output reads it from the nested stack's output.
    const alarmStack = built.stack.monitoring.alarmStack;
    const nestedId = built.stack.resolve(alarmStack.nestedStackResource!.logicalId) as string;
    const [output] = Object.entries(template.findOutputs('Dashboard'));
    const outputOf = (output![1] as { Value: { 'Fn::GetAtt': [string, string] } }).Value['Fn::GetAtt'];
    expect(outputOf[0]).toBe(nestedId);
    const nestedOutputs = Template.fromStack(alarmStack).toJSON().Outputs as Record<
      string,
      { Value: unknown }
    >;
    expect(nestedOutputs[outputOf[1].replace(/^Outputs\./, '')]!.Value).toEqual({ Ref: dashboardId });
    template.hasOutput('AlarmTopic', { Value: { Ref: topicId } });
  });
});

/**
 * The construct alone, on a small stack with inline functions (nothing to bundle, so each synth takes
 * well under a second): what depends on context values and on the number of functions.
 */
describe('Monitoring construct (small stack)', () => {
  const dirs: string[] = [];
  afterAll(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  function synth(context: Record<string, unknown>, functionCount: number) {
    const outdir = mkdtempSync(path.join(tmpdir(), 'sms-mfa-mon-small-'));
    dirs.push(outdir);
    // No nag plugin: the dummy functions and table break rules the real ones follow. The nag test below
    // runs the packs itself and looks only at what the construct adds.
    const app = new App({ outdir });
    const stack = new Stack(app, 'Small');
    const config = readStackConfig((key) => context[key]);
    const httpApi = new HttpApi(stack, 'Api', { createDefaultStage: false });
    const httpStage = new HttpStage(stack, 'Stage', { httpApi, stageName: '$default' });
    const table = new Table(stack, 'Table', {
      partitionKey: { name: 'pk', type: AttributeType.STRING },
      billingMode: BillingMode.PAY_PER_REQUEST,
    });
    const functions = new Map(
      Array.from({ length: functionCount }, (_, i) => [
        `fn-${i}`,
        new LambdaFunction(stack, `Fn${i}`, {
          runtime: FUNCTION_RUNTIME,
          handler: 'index.handler',
          code: Code.fromInline('exports.handler = async () => ({})'),
        }),
      ]),
    );
    new Monitoring(stack, 'Monitoring', {
      config,
      httpStage,
      functions,
      table,
      tableIndexNames: ['gsi1'],
      queueKey: new Key(stack, 'QueueKey', { enableKeyRotation: true }),
    });
    const template = Template.fromStack(stack);
    const alarms = Object.values(withNestedStacks(stack)).filter((r) => r.Type === 'AWS::CloudWatch::Alarm');
    const alarm = (suffix: string) =>
      alarms.find((a) => a.Properties.AlarmName === `sms-mfa-${config.stage}-${suffix}`)!;
    return { app, template, alarms, alarm };
  }

  it('uses the default thresholds and no subscription when the context sets none', () => {
    const { template, alarm } = synth({ stage: 'small' }, 2);
    expect(alarm('codes-sent-spike').Properties.Threshold).toBe(500);
    expect(alarm('provider-failure-rate').Properties.Threshold).toBe(20);
    template.resourceCountIs('AWS::SNS::Subscription', 0);
  });

  it('follows the thresholds and e-mail address in the context', () => {
    const { template, alarm } = synth(
      {
        stage: 'small',
        alarmEmail: 'pager@example.org',
        codesSentAlarmThreshold: '42',
        providerFailureRateThreshold: '3.5',
      },
      2,
    );
    expect(alarm('codes-sent-spike').Properties.Threshold).toBe(42);
    expect(alarm('provider-failure-rate').Properties.Threshold).toBe(3.5);
    expect(alarm('provider-failure-rate').Properties.AlarmDescription).toContain('More than 3.5% ');
    expect(alarm('codes-sent-spike').Properties.AlarmDescription).toContain('More than 42 ');
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'pager@example.org',
    });
  });

  it('uses one Lambda alarm of each kind while the functions fit in one, and splits them evenly beyond', () => {
    const one = synth({ stage: 'small' }, MAX_METRICS_PER_ALARM);
    const names = (alarms: Resource[]) => alarms.map((a) => String(a.Properties.AlarmName)).sort();
    expect(names(one.alarms).filter((n) => n.includes('lambda-'))).toEqual([
      'sms-mfa-small-lambda-errors-1',
      'sms-mfa-small-lambda-throttles-1',
    ]);
    const two = synth({ stage: 'small' }, MAX_METRICS_PER_ALARM + 1);
    const errors = two.alarms.filter((a) => String(a.Properties.AlarmName).includes('lambda-errors-'));
    expect(errors.map((a) => reads(a, 'AWS/Lambda', 'Errors').length).sort()).toEqual([5, 6]);
    for (const a of errors) expect(a.Properties.AlarmDescription).toMatch(/group [12] of 2/);
  });

  it('adds no unacknowledged cdk-nag finding of its own', () => {
    const { app } = synth({ stage: 'small', alarmEmail: 'pager@example.org' }, 3);
    const own = unacknowledgedFindings(app).filter((f) => f.path.startsWith('Small/Monitoring/'));
    expect(describeFindings(own)).toEqual([]);
  });

  it('refuses to watch no functions', () => {
    expect(() => synth({ stage: 'small' }, 0)).toThrow(/at least one function/);
  });
});

describe('chunk', () => {
  it.each([
    [24, 10, [8, 8, 8]],
    [10, 10, [10]],
    [11, 10, [6, 5]],
    [21, 10, [7, 7, 7]],
    [1, 10, [1]],
  ])('%i items, at most %i per group -> %j', (n, max, sizes) => {
    const items = Array.from({ length: n }, (_, i) => i);
    const groups = chunk(items, max);
    expect(groups.map((g) => g.length)).toEqual(sizes);
    expect(groups.flat()).toEqual(items);
  });
});
