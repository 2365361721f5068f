import { STORE_INDEX } from '../../shared/adapters/dynamodb/store-ownership.ts';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { type AssetStaging, CfnResource } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { Runtime, RuntimeFamily } from 'aws-cdk-lib/aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, type BuiltApp } from '../../cdk/app.ts';
import { HOT_PATH_IDS } from '../../cdk/cold-start.ts';
import { VALIDATES_TEST_NUMBERS } from '../../cdk/sms-mfa-stack.ts';
import { bundleInputs } from '../../cdk/synthesized-bundles.ts';
import { GSI1, TABLE_KEYS, TTL_ATTRIBUTE } from '../../shared/adapters/dynamodb/table-definition.ts';
import {
  type Access,
  apiKeyAuthorizer,
  approvalUncounter,
  expiryReporter,
  expiryScheduler,
  replacementNotifier,
  rerouteWorker,
  routes,
  storeSweeper,
  streamAggregator,
  webhookDeliverer,
  WORKERS,
} from '../../shared/routes.ts';
import { acknowledgements, describeFindings, rawFindings, unacknowledgedFindings } from './nag-helpers.ts';
import { ownResourceCount, withNestedStacks } from './nested-resources.ts';

type Json = Record<string, unknown>;
type Resource = { Type: string; Properties: Json; DeletionPolicy?: string; UpdateReplacePolicy?: string };
type Statement = {
  Effect: 'Allow' | 'Deny';
  Action: string | string[];
  Resource: unknown;
  Condition?: unknown;
};

const STAGE = 'ci';
const FAIL_SYNTH_ON_VALIDATION_ERRORS = '@aws-cdk/core:failSynthOnValidationErrors';
const asArray = <T>(v: T | T[]): T[] => (Array.isArray(v) ? v : [v]);

/** The newest Node.js runtime this aws-cdk-lib knows, worked out independently of cdk/. */
function newestNodeRuntime(): string {
  const versions = Runtime.ALL.filter((r) => r.family === RuntimeFamily.NODEJS)
    .map((r) => ({ name: r.name, major: Number(/^nodejs(\d+)/.exec(r.name)?.[1] ?? NaN) }))
    .filter((r) => Number.isFinite(r.major))
    .sort((a, b) => b.major - a.major);
  return versions[0]!.name;
}

const secretPrefixArn = (folder: 'gateways' | 'integrations') => ({
  'Fn::Join': [
    '',
    [
      'arn:',
      { Ref: 'AWS::Partition' },
      ':secretsmanager:',
      { Ref: 'AWS::Region' },
      ':',
      { Ref: 'AWS::AccountId' },
      `:secret:sms-mfa/${STAGE}/${folder}/*`,
    ],
  ],
});
const SECRET_PREFIX_ARN = secretPrefixArn('gateways');
const INTEGRATION_SECRET_PREFIX_ARN = secretPrefixArn('integrations');
const SNS_ANY_ARN = { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':sns:*:*:*']] };
const TABLE_WRITE_ACTIONS = [
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
  'dynamodb:BatchWriteItem',
];

/**
 * What each table access kind may do, written out here independently of cdk/constructs/table-grants.ts: the
 * item actions and the `dynamodb:LeadingKeys` patterns of its partitions (key-prefixes.ts), and the
 * indexes it may Query.
 */
type TableKind = Extract<
  Access,
  `${'audit' | 'config' | 'api-keys' | 'challenges' | 'deliveries' | 'store-items' | 'stores' | 'webhooks' | 'webhook-deliveries' | 'integrations' | 'blocks' | 'support' | 'usage' | 'routing' | 'gateway-health'}:${string}`
>;
const CONFIG_KEYS = ['GATEWAY', 'GATEWAY_NAME', 'GATEWAY_DEFAULT', 'STORE', 'APP#*'];
const CHALLENGE_KEYS = ['CHALLENGE#*', 'FACTOR#*', 'PHONEPTR#*', 'COUNT#*', 'IDEMPOTENCY#*', 'SMSMSG#*'];
const ITEM_CHANGES = ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'];
const ITEM_WRITES = [...ITEM_CHANGES, 'dynamodb:ConditionCheckItem'];
const EXPECTED_TABLE_ACCESS: Record<TableKind, { actions: string[]; keys: string[]; indexes?: string[] }> = {
  'config:read': { actions: ['dynamodb:GetItem', 'dynamodb:Query'], keys: CONFIG_KEYS },
  'config:write': { actions: ['dynamodb:GetItem', 'dynamodb:Query', ...ITEM_WRITES], keys: CONFIG_KEYS },
  'api-keys:authenticate': { actions: ['dynamodb:GetItem', 'dynamodb:UpdateItem'], keys: ['APIKEY#*'] },
  'api-keys:read': { actions: ['dynamodb:GetItem'], keys: ['APIKEY#*'], indexes: ['gsi1'] },
  'api-keys:write': {
    actions: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem'],
    keys: ['APIKEY#*'],
    indexes: ['gsi1'],
  },
  'challenges:read': { actions: ['dynamodb:GetItem'], keys: CHALLENGE_KEYS },
  'challenges:write': { actions: ['dynamodb:GetItem', ...ITEM_WRITES], keys: CHALLENGE_KEYS },
  'challenges:history': { actions: ['dynamodb:Query'], keys: ['CHALLENGE#*'] },
  'deliveries:write': {
    actions: ['dynamodb:GetItem', 'dynamodb:UpdateItem'],
    keys: ['SMSMSG#*', 'CHALLENGE#*'],
  },
  // The challenge item alone: the expiry report reads it and sets its mark.
  'challenges:report-expiry': { actions: ['dynamodb:GetItem', 'dynamodb:UpdateItem'], keys: ['CHALLENGE#*'] },
  'store-items:sweep': {
    actions: ['dynamodb:DeleteItem', 'dynamodb:BatchWriteItem'],
    keys: ['APIKEY#*', ...CHALLENGE_KEYS, 'WEBHOOK#*', 'WHDELIVERY#*', 'APP#*', 'INTEGRATION#*', 'USAGE#*'],
    indexes: ['byStore'],
  },
  // The blocks routes: counters only, found through the keys-only store index, read one by one.
  'blocks:read': { actions: ['dynamodb:GetItem'], keys: ['COUNT#*'], indexes: ['byStore'] },
  'blocks:write': {
    actions: ['dynamodb:GetItem', 'dynamodb:UpdateItem'],
    keys: ['COUNT#*'],
    indexes: ['byStore'],
  },
  'webhooks:read': { actions: ['dynamodb:GetItem', 'dynamodb:Query'], keys: ['WEBHOOK#*'] },
  'webhooks:write': { actions: ['dynamodb:GetItem', 'dynamodb:Query', ...ITEM_CHANGES], keys: ['WEBHOOK#*'] },
  'webhook-deliveries:read': { actions: ['dynamodb:GetItem', 'dynamodb:Query'], keys: ['WHDELIVERY#*'] },
  'webhook-deliveries:write': {
    actions: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'],
    keys: ['WHDELIVERY#*'],
  },
  'integrations:read': { actions: ['dynamodb:GetItem'], keys: ['INTEGRATION#*'], indexes: ['gsi1'] },
  'integrations:write': {
    actions: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'],
    keys: ['INTEGRATION#*'],
    indexes: ['gsi1'],
  },
  // The usage route reads the ledger's counter shards; the stream projection adds to them and claims.
  'usage:read': { actions: ['dynamodb:Query'], keys: ['USAGE#*'] },
  'usage:write': { actions: ['dynamodb:GetItem', 'dynamodb:UpdateItem'], keys: ['USAGE#*'] },
  // Routing's delivery statistics: sends and the snapshot route read them; the stream aggregates add to them.
  'routing:read': { actions: ['dynamodb:Query'], keys: ['ROUTESTATS#*'] },
  'routing:write': { actions: ['dynamodb:UpdateItem'], keys: ['ROUTESTATS#*'] },
  // Gateways' shared health: the gateway routes and the routing snapshot read it; sends count and open.
  'gateway-health:read': { actions: ['dynamodb:Query'], keys: ['GWHEALTH#*'] },
  'gateway-health:write': { actions: ['dynamodb:Query', 'dynamodb:UpdateItem'], keys: ['GWHEALTH#*'] },
  'stores:check': {
    actions: ['dynamodb:GetItem', 'dynamodb:ConditionCheckItem'],
    keys: ['STORE', 'APP#*'],
  },
  // The support desk: the factor and the user's challenges through gsi1; its writes add the audit record.
  'support:read': { actions: ['dynamodb:GetItem'], keys: ['FACTOR#*'], indexes: ['gsi1'] },
  'support:write': {
    actions: ['dynamodb:GetItem', 'dynamodb:UpdateItem', 'dynamodb:PutItem'],
    keys: ['FACTOR#*', 'CHALLENGE#*', 'AUDIT#*'],
  },
  // Every admin write's audit record, in the write's transaction: Put only, never read back or changed.
  'audit:write': { actions: ['dynamodb:PutItem'], keys: ['AUDIT#*'] },
};

/** Every function's role: the routes, the authorizer and the notifier. */
const ROLES = [
  ...routes.map((r) => [r.id, r.access] as const),
  [apiKeyAuthorizer.id, apiKeyAuthorizer.access] as const,
  // Not the stream consumers: their roles also read the table's stream (test/cdk/store-sweep.test.ts,
  // test/cdk/table-stream-aggregates.test.ts).
  ...WORKERS.filter((w) => w !== storeSweeper && w !== streamAggregator).map(
    (w) => [w.id, w.access] as const,
  ),
];
/** Asynchronously invoked: each has an on-failure SQS queue encrypted with the data key. */
const ASYNC_IDS = [replacementNotifier.id, approvalUncounter.id, expiryScheduler.id, expiryReporter.id];
type SecretKind = Extract<
  Access,
  `${'gateway-secrets' | 'integration-secrets' | 'pepper' | 'origin-verify' | 'receipt-key'}:${string}`
>;
const SECRET_KINDS: readonly SecretKind[] = [
  'gateway-secrets:read',
  'gateway-secrets:write',
  'integration-secrets:read',
  'integration-secrets:write',
  'integration-secrets:delete',
  'pepper:read',
  'pepper:rotate',
  'origin-verify:read',
  'receipt-key:read',
];
const SECRET_ACTIONS: Record<SecretKind, string[]> = {
  // GetRandomPassword is added by CDK's RotationSchedule; it generates a string and reads no secret.
  'pepper:rotate': [
    'secretsmanager:DescribeSecret',
    'secretsmanager:GetRandomPassword',
    'secretsmanager:GetSecretValue',
    'secretsmanager:PutSecretValue',
    'secretsmanager:UpdateSecretVersionStage',
  ],
  'gateway-secrets:read': ['secretsmanager:GetSecretValue'],
  'pepper:read': ['secretsmanager:GetSecretValue'],
  'receipt-key:read': ['secretsmanager:GetSecretValue'],
  // Edge protection only (test/cdk/edge.test.ts checks that role): no role of this stack has it.
  'origin-verify:read': ['secretsmanager:GetSecretValue'],
  'gateway-secrets:write': [
    'secretsmanager:CreateSecret',
    'secretsmanager:PutSecretValue',
    'secretsmanager:DeleteSecret',
  ],
  'integration-secrets:read': ['secretsmanager:GetSecretValue'],
  'integration-secrets:delete': ['secretsmanager:DeleteSecret'],
  'integration-secrets:write': [
    'secretsmanager:CreateSecret',
    'secretsmanager:PutSecretValue',
    'secretsmanager:DeleteSecret',
  ],
};

describe('SmsMfa stack', { timeout: 120_000 }, () => {
  let outdir: string;
  let built: BuiltApp;
  let template: Template;
  let resources: Record<string, Resource>;
  let synthError: unknown;

  beforeAll(() => {
    outdir = mkdtempSync(path.join(tmpdir(), 'sms-mfa-cdk-'));
    built = buildApp({ stage: STAGE, edgeProtection: false }, { outdir });
    try {
      // Bundles every handler with esbuild, then runs the cdk-nag plugins; throws on any unacknowledged finding.
      built.app.synth();
    } catch (error) {
      synthError = error;
      // Reported by the first test. Build again without failing on findings, so the other tests still
      // say what else is wrong (bundles are cached in-process, so this is quick).
      built = buildApp(
        { stage: STAGE, edgeProtection: false, [FAIL_SYNTH_ON_VALIDATION_ERRORS]: false },
        { outdir },
      );
      built.app.synth();
    }
    template = Template.fromStack(built.stack);
    // With the monitoring's nested stack (alarms, dashboard, log queries), its parameters resolved.
    resources = withNestedStacks(built.stack) as Record<string, Resource>;
  }, 600_000);

  afterAll(() => {
    if (outdir) rmSync(outdir, { recursive: true, force: true });
  });

  const ofType = (type: string) => Object.entries(resources).filter(([, r]) => r.Type === type);

  /** Logical id of one of the stack's KMS keys (ServiceKeys), by construct id. */
  function keyId(name: 'DataKey' | 'SecretsKey' | 'LogsKey'): string {
    const key =
      built.stack.keys[({ DataKey: 'data', SecretsKey: 'secrets', LogsKey: 'logs' } as const)[name]];
    return built.stack.resolve((key.node.defaultChild as CfnResource).logicalId) as string;
  }

  function functionOf(routeId: string): [string, Resource] {
    const found = ofType('AWS::Lambda::Function').find(
      ([, r]) => r.Properties.FunctionName === `sms-mfa-${STAGE}-${routeId}`,
    );
    if (!found) throw new Error(`no function for route ${routeId}`);
    return found;
  }

  /** All statements of every policy attached to the route function's role. */
  function statementsOf(routeId: string): Statement[] {
    const [, fn] = functionOf(routeId);
    const roleId = (fn.Properties.Role as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
    const role = resources[roleId]!;
    expect(role.Properties.ManagedPolicyArns, `${routeId}: managed policies`).toBeUndefined();
    expect(role.Properties.Policies, `${routeId}: inline role policies`).toBeUndefined();
    return ofType('AWS::IAM::Policy')
      .filter(([, p]) =>
        (p.Properties.Roles as unknown[]).some((r) => JSON.stringify(r) === JSON.stringify({ Ref: roleId })),
      )
      .flatMap(([, p]) => (p.Properties.PolicyDocument as { Statement: Statement[] }).Statement);
  }

  const allowedActions = (statements: Statement[]) =>
    new Set(statements.filter((s) => s.Effect === 'Allow').flatMap((s) => asArray(s.Action)));

  it('synthesizes with every cdk-nag finding fixed or acknowledged', () => {
    expect(describeFindings(unacknowledgedFindings(built.app))).toEqual([]);
    expect(synthError === undefined ? '' : String(synthError)).toBe('');
    expect(Annotations.fromStack(built.stack).findError('*', Match.anyValue())).toEqual([]);
    expect(Annotations.fromStack(built.stack).findWarning('*', Match.anyValue())).toEqual([]);
  });

  it('acknowledges only findings that exist, each with a specific reason', () => {
    const raw = rawFindings(built.app);
    // The checks really ran on this stack: without acknowledgements there are findings.
    expect(raw.length).toBeGreaterThan(0);
    const acks = acknowledgements(built.app);
    expect(acks.length).toBeGreaterThan(0);
    for (const ack of acks) {
      const matched = raw.some(
        (f) => f.id === ack.id && (f.path === ack.path || f.path.startsWith(`${ack.path}/`)),
      );
      expect(matched, `acknowledgement ${ack.id} at ${ack.path} matches no finding`).toBe(true);
      expect(ack.reason.length, `reason for ${ack.id} at ${ack.path}`).toBeGreaterThan(60);
      // Not the `Pack::RuleId` form the synth report suggests: cdk-nag ignores it, CDK core then drops
      // the finding itself and stops failing synth on the pack's remaining warnings.
      expect(ack.id, 'acknowledge with the plain cdk-nag id').not.toMatch(/^[^[]*::/);
    }
    // Acknowledgements sit on the narrowest construct: each covers exactly one CloudFormation resource.
    for (const ack of acks) {
      const scope = ack.path === '' ? built.app : built.app.node.findChild(ack.path.split('/')[0]!);
      const construct = ack.path
        .split('/')
        .slice(1)
        .reduce((c, id) => c.node.findChild(id), scope);
      const cfnResources = construct.node.findAll().filter((c) => CfnResource.isCfnResource(c));
      expect(cfnResources.length, `${ack.id} acknowledged at ${ack.path}`).toBe(1);
    }
    // The kinds of finding that are acknowledged; anything new must be looked at (and added here).
    expect([...new Set(acks.map((a) => a.id.replace(/\[.*$/, '')))].sort()).toEqual([
      'AwsSolutions-APIG4',
      'AwsSolutions-IAM4',
      'AwsSolutions-IAM5',
      'AwsSolutions-SMG4',
      'AwsSolutions-SQS3',
      'Serverless-LambdaDLQ',
      'Serverless-LambdaEventSourceMappingDestination',
      'Serverless-SQSRedrivePolicy',
    ]);
    // The notifier and the expiry functions are invoked asynchronously: their acknowledgements must not claim otherwise.
    const dlq = acks.filter((a) => a.id === 'Serverless-LambdaDLQ');
    for (const ack of dlq) {
      const asyncFunction = ASYNC_IDS.some((id) => ack.path.includes(`/${id}/`));
      // The queue consumers: the webhook delivery and the reroute worker.
      if (ack.path.includes('/webhook-delivery/') || ack.path.includes(`/${rerouteWorker.id}/`)) {
        expect(ack.reason, ack.path).toContain('SQS event source mapping');
        continue;
      }
      expect(ack.reason.includes('Invoked only synchronously'), ack.path).toBe(!asyncFunction);
      expect(ack.reason.includes('on-failure destination'), ack.path).toBe(asyncFunction);
    }
  });

  it('has no Lambda-backed log retention or other custom resources', () => {
    expect(ofType('Custom::LogRetention')).toEqual([]);
    expect(Object.values(resources).filter((r) => r.Type.startsWith('Custom::'))).toEqual([]);
    // One per route, plus the API key authorizer, the replacement notifier, the pepper rotation, the store
    // sweeper, the stream aggregates, the webhook delivery, the approval un-count, the two expiry functions
    // and the reroute worker.
    expect(ofType('AWS::Lambda::Function')).toHaveLength(routes.length + 10);
  });

  it("stays well under CloudFormation's 500 resources per stack, so that the next routes are noticed", () => {
    // Each route costs about 6 (function, role, policy, log group, integration, route); the alarms,
    // dashboard and log queries are in the monitoring's nested stack, which counts as one.
    const count = ownResourceCount(built.stack);
    console.log(`main stack: ${count} resources`);
    expect(count).toBeLessThan(470);
    const nested = built.stack.monitoring.alarmStack;
    expect(Object.keys(Template.fromStack(nested).toJSON().Resources as Json).length).toBeLessThan(200);
    expect(ofType('AWS::CloudFormation::Stack')).toHaveLength(1);
  });

  /** CloudFormation's KeySchema of a key pair: the partition key, then the sort key. */
  const keySchema = (keys: { partitionKey: string; sortKey: string }) => [
    { AttributeName: keys.partitionKey, KeyType: 'HASH' },
    { AttributeName: keys.sortKey, KeyType: 'RANGE' },
  ];

  describe('table', () => {
    it('is on-demand, keyed from the shared table definition, with TTL, PITR and the data key', () => {
      template.resourceCountIs('AWS::DynamoDB::Table', 1);
      template.hasResourceProperties('AWS::DynamoDB::Table', {
        BillingMode: 'PAY_PER_REQUEST',
        KeySchema: keySchema(TABLE_KEYS),
        GlobalSecondaryIndexes: [
          Match.objectLike({
            IndexName: GSI1.name,
            KeySchema: keySchema(GSI1),
            Projection: { ProjectionType: 'ALL' },
          }),
          Match.objectLike({
            IndexName: STORE_INDEX.name,
            KeySchema: keySchema(STORE_INDEX),
            Projection: { ProjectionType: 'KEYS_ONLY' },
          }),
        ],
        TimeToLiveSpecification: { AttributeName: TTL_ATTRIBUTE, Enabled: true },
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        DeletionProtectionEnabled: true,
        SSESpecification: {
          SSEEnabled: true,
          SSEType: 'KMS',
          KMSMasterKeyId: { 'Fn::GetAtt': [keyId('DataKey'), 'Arn'] },
        },
      });
    });

    it('is retained when the stack is deleted or the table replaced, but not after a failed first create', () => {
      template.hasResource('AWS::DynamoDB::Table', {
        DeletionPolicy: 'RetainExceptOnCreate',
        UpdateReplacePolicy: 'Retain',
      });
    });
  });

  describe('HTTP API', () => {
    it('has exactly one route per route-table entry', () => {
      const keys = ofType('AWS::ApiGatewayV2::Route')
        .map(([, r]) => r.Properties.RouteKey)
        .sort();
      expect(keys).toEqual(routes.map((r) => `${r.method} ${r.path}`).sort());
    });

    it.each(routes.map((r) => [r.id, r] as const))(
      'route %s has the auth its table entry names',
      (_id, route) => {
        const expected = { none: 'NONE', admin: 'AWS_IAM', 'api-key': 'CUSTOM', 'hook-secret': 'NONE' }[
          route.auth
        ];
        expect(expected, `auth ${route.auth}`).toBeDefined();
        template.hasResourceProperties('AWS::ApiGatewayV2::Route', {
          RouteKey: `${route.method} ${route.path}`,
          AuthorizationType: expected,
        });
      },
    );

    it('serves /health without auth and every admin route with IAM', () => {
      template.hasResourceProperties('AWS::ApiGatewayV2::Route', {
        RouteKey: 'GET /health',
        AuthorizationType: 'NONE',
      });
      const admin = ofType('AWS::ApiGatewayV2::Route').filter(([, r]) =>
        String(r.Properties.RouteKey).includes(' /admin/'),
      );
      expect(admin.length).toBe(routes.filter((r) => r.auth === 'admin').length);
      for (const [, r] of admin) expect(r.Properties.AuthorizationType).toBe('AWS_IAM');
    });

    it('puts every /v1 route behind the API key Lambda authorizer with a short cache', () => {
      const authorizers = ofType('AWS::ApiGatewayV2::Authorizer');
      expect(authorizers).toHaveLength(1);
      const [authorizerId, authorizer] = authorizers[0]!;
      expect(authorizer.Properties).toMatchObject({
        AuthorizerType: 'REQUEST',
        EnableSimpleResponses: true,
        AuthorizerPayloadFormatVersion: '2.0',
        IdentitySource: ['$request.header.Authorization'],
        AuthorizerResultTtlInSeconds: 30,
      });
      const uri = JSON.stringify(authorizer.Properties.AuthorizerUri);
      const authorizerFunction = ofType('AWS::Lambda::Function').find(([, f]) =>
        String(f.Properties.FunctionName).endsWith('-api-key-authorizer'),
      );
      expect(authorizerFunction).toBeDefined();
      expect(uri).toContain(authorizerFunction![0]);

      const client = ofType('AWS::ApiGatewayV2::Route').filter(([, r]) =>
        String(r.Properties.RouteKey).includes(' /v1/'),
      );
      expect(client.length).toBe(routes.filter((r) => r.auth === 'api-key').length);
      expect(client.length).toBeGreaterThan(0);
      for (const [, r] of client) {
        expect(r.Properties.AuthorizationType).toBe('CUSTOM');
        expect(r.Properties.AuthorizerId).toEqual({ Ref: authorizerId });
      }
    });

    it('has a $default stage with throttling and JSON access logs to a log group with retention', () => {
      const stages = ofType('AWS::ApiGatewayV2::Stage');
      expect(stages).toHaveLength(1);
      const stage = stages[0]![1].Properties;
      expect(stage.StageName).toBe('$default');
      expect(stage.AutoDeploy).toBe(true);
      expect(stage.DefaultRouteSettings).toEqual({
        ThrottlingRateLimit: 50,
        ThrottlingBurstLimit: 100,
        DetailedMetricsEnabled: true,
      });
      const logs = stage.AccessLogSettings as {
        DestinationArn: { 'Fn::GetAtt': [string, string] };
        Format: string;
      };
      const format = JSON.parse(logs.Format) as Record<string, string>;
      expect(format).toMatchObject({ requestId: '$context.requestId', status: '$context.status' });
      // The route key, never the path: paths hold user ids, which no log line carries.
      expect(format.routeKey).toBe('$context.routeKey');
      expect(Object.values(format).filter((v) => /context\.(path|resourcePath)\b/.test(v))).toEqual([]);
      const logGroup = resources[logs.DestinationArn['Fn::GetAtt'][0]]!;
      expect(logGroup.Type).toBe('AWS::Logs::LogGroup');
      // The authentication audit trail: a year by default.
      expect(logGroup.Properties.RetentionInDays).toBe(365);
      expect(logGroup.Properties.KmsKeyId).toEqual({ 'Fn::GetAtt': [keyId('LogsKey'), 'Arn'] });
      // Who called with which key: the authorizer's context.
      expect(format).toMatchObject({
        keyId: '$context.authorizer.keyId',
        storeId: '$context.authorizer.storeId',
      });
    });

    it('outputs the API URL and the table name', () => {
      template.hasOutput('ApiUrl', { Value: Match.objectLike({ 'Fn::Join': Match.anyValue() }) });
      const table = ofType('AWS::DynamoDB::Table')[0]![0];
      template.hasOutput('TableName', { Value: { Ref: table } });
    });
  });

  describe('functions', () => {
    it.each(routes.map((r) => [r.id] as const))(
      '%s: newest Node.js on arm64, sized, traced, with its own log group',
      (id) => {
        const [, fn] = functionOf(id);
        const p = fn.Properties;
        expect(p.Runtime).toBe(newestNodeRuntime());
        expect(p.Architectures).toEqual(['arm64']);
        // The hot path (authorizer, verify, /v1 sends) gets more CPU for its cold starts.
        expect(p.MemorySize).toBe(HOT_PATH_IDS.includes(id) ? 1024 : 256);
        const route = routes.find((r) => r.id === id)!;
        const sends = route.access.includes('sms:send');
        // Above the 12-second send deadline for the functions that send; unchanged for the others.
        expect(p.Timeout).toBe(sends ? 15 : 10);
        expect(p.ReservedConcurrentExecutions).toBe(sends ? 10 : undefined);
        expect(p.TracingConfig).toEqual({ Mode: 'Active' });
        expect(p.Handler).toBe('index.handler');
        const logGroupId = ((p.LoggingConfig as Json).LogGroup as { Ref: string }).Ref;
        const logGroup = resources[logGroupId]!;
        expect(logGroup.Properties).toMatchObject({
          LogGroupName: `/aws/lambda/sms-mfa-${STAGE}-${id}`,
          RetentionInDays: 30,
          KmsKeyId: { 'Fn::GetAtt': [keyId('LogsKey'), 'Arn'] },
        });
        expect(logGroup.DeletionPolicy).toBe('RetainExceptOnCreate');
        const tableId = ofType('AWS::DynamoDB::Table')[0]![0];
        const secretsKeyId = ofType('AWS::KMS::Key').find(([id]) => id.includes('SecretsKey'))![0];
        const invokesNotifier = route.access.includes('notifier:invoke');
        const notifierId = ofType('AWS::Lambda::Function').find(([, f]) =>
          String(f.Properties.FunctionName).endsWith('-replaced-number-notifier'),
        )![0];
        expect((p.Environment as Json).Variables).toEqual({
          ...(invokesNotifier ? { NOTIFIER_FUNCTION_NAME: { Ref: notifierId } } : {}),
          ...(route.access.includes('webhook-queue:send') ? { WEBHOOK_QUEUE_URL: expect.anything() } : {}),
          ...(route.access.includes('reroutes:enqueue') ? { REROUTE_QUEUE_URL: expect.anything() } : {}),
          // The public URL: integrations' hookUrl, the receipt address that sends name, and the URL
          // the receipt route checks signatures against.
          ...(route.id.startsWith('integrations-') ||
          route.access.includes('sms:send') ||
          route.path.startsWith('/callbacks/')
            ? { HOOK_BASE_URL: expect.anything() }
            : {}),
          ...(VALIDATES_TEST_NUMBERS.has(route.id) ? { TEST_NUMBERS_ALLOWED: 'false' } : {}),
          // voiceAllowed defaults to false (test/cdk/voice-switch.test.ts).
          ...(VALIDATES_TEST_NUMBERS.has(route.id) || route.access.includes('sms:send')
            ? { VOICE_ALLOWED: 'false' }
            : {}),
          TABLE_NAME: { Ref: tableId },
          SECRET_STORE: 'secrets-manager',
          SECRET_NAME_PREFIX: `sms-mfa/${STAGE}/`,
          SECRET_KMS_KEY_ID: { 'Fn::GetAtt': [secretsKeyId, 'Arn'] },
          CONSOLE_GATEWAY_ALLOWED: 'false',
          // Store writes refuse adaptive routing when off; sends then route adaptive stores in order.
          ADAPTIVE_ROUTING_ALLOWED: 'true',
          POWERTOOLS_SERVICE_NAME: 'sms-mfa',
          POWERTOOLS_METRICS_NAMESPACE: 'SmsMfa',
          EVENT_BUS_NAME: `sms-mfa-${STAGE}`,
        });
      },
    );

    it('gives the store create and update functions TEST_NUMBERS_ALLOWED from the testNumbersAllowed context', () => {
      const variablesOf = (app: BuiltApp, synthesized: Record<string, Resource>, id: string) =>
        (
          synthesized[
            app.stack.getLogicalId(app.stack.functions.get(id)!.fn.node.defaultChild as CfnResource)
          ]!.Properties.Environment as { Variables: Record<string, unknown> }
        ).Variables;
      // The same app with the context on; no bundling (`cdk list` does the same): only the template matters.
      const allowed = buildApp(
        {
          stage: STAGE,
          edgeProtection: false,
          testNumbersAllowed: 'true',
          'aws:cdk:bundling-stacks': [],
          [FAIL_SYNTH_ON_VALIDATION_ERRORS]: false,
        },
        { outdir: mkdtempSync(path.join(tmpdir(), 'sms-mfa-cdk-')) },
      );
      const allowedResources = Template.fromStack(allowed.stack).toJSON().Resources as Record<
        string,
        Resource
      >;
      expect([...VALIDATES_TEST_NUMBERS].sort()).toEqual([
        'identity-stores-create',
        'identity-stores-update',
      ]);
      for (const id of VALIDATES_TEST_NUMBERS) {
        expect(variablesOf(built, resources, id).TEST_NUMBERS_ALLOWED).toBe('false');
        expect(variablesOf(allowed, allowedResources, id).TEST_NUMBERS_ALLOWED).toBe('true');
      }
      // The send routes do not decide test numbers: they read them from the store.
      const sendRoute = routes.find((route) => route.access.includes('sms:send'))!;
      expect(variablesOf(allowed, allowedResources, sendRoute.id).TEST_NUMBERS_ALLOWED).toBeUndefined();
    });

    it('bundles each handler as minified ESM with the createRequire banner and a source map', () => {
      for (const route of routes) {
        const fn = built.stack.functions.get(route.id)!.fn;
        const assetDir = (fn.node.findChild('Code').node.findChild('Stage') as AssetStaging)
          .absoluteStagedPath;
        const code = readFileSync(path.join(assetDir, 'index.mjs'), 'utf8');
        expect(
          code.startsWith(
            "import { createRequire } from 'module'; const require = createRequire(import.meta.url);",
          ),
        ).toBe(true);
        expect(existsSync(path.join(assetDir, 'index.mjs.map'))).toBe(true);
        // The SDK is bundled (measured faster to initialise than the runtime's), but for the Lambda
        // client, which comes from the runtime: the metafile names what went in.
        const inputs = bundleInputs(path.join(assetDir, 'index.meta.json')).map((i) => i.name);
        if (route.access.some((a) => a.startsWith('table:')))
          expect(inputs, route.id).toContain('@aws-sdk/client-dynamodb');
        expect(inputs, route.id).not.toContain('@aws-sdk/client-lambda');
      }
    });
  });

  describe('IAM: each function gets what its route access names, nothing more', () => {
    const baseline = [
      'logs:CreateLogStream',
      'logs:PutLogEvents',
      'xray:PutTraceSegments',
      'xray:PutTelemetryRecords',
    ];

    it.each(ROLES)('%s %j', (id, access) => {
      const has = (a: Access) => access.includes(a);
      const statements = statementsOf(id);
      const actions = allowedActions(statements);
      const tableKinds = access.filter((a): a is TableKind => a in EXPECTED_TABLE_ACCESS);

      const services = new Set([...actions].map((a) => a.split(':')[0]));
      const expectedServices = new Set(['logs', 'xray']);
      if (tableKinds.length > 0) expectedServices.add('dynamodb').add('kms');
      if (SECRET_KINDS.some(has)) expectedServices.add('secretsmanager');
      if (has('sms:send')) expectedServices.add('sns');
      if (has('notifier:invoke')) expectedServices.add('lambda');
      // The on-failure destination of an asynchronously invoked function: an SQS queue (the data key).
      if (ASYNC_IDS.includes(id)) expectedServices.add('sqs').add('kms');
      // One-time schedules in the expiry group, run as the scheduler's invoke role.
      if (has('expiry:schedule')) expectedServices.add('scheduler').add('iam');
      // The webhook queue: its consumer's receive/delete, fan-out and backoff.
      if (id === webhookDeliverer.id) expectedServices.add('sqs');
      // An admin's retry puts the delivery back on the webhook queue (encrypted with the data key).
      if (has('webhook-queue:send')) expectedServices.add('sqs').add('kms');
      if (has('events:publish')) expectedServices.add('events');
      // Delivery-failover jobs on the reroute queue (encrypted with the data key); its consumer receives.
      if (has('reroutes:enqueue') || id === rerouteWorker.id) expectedServices.add('sqs').add('kms');
      expect(services).toEqual(expectedServices);
      for (const a of baseline) expect(actions).toContain(a);

      // DynamoDB: per kind, its actions on the table, only for items in its partitions.
      const tableId = ofType('AWS::DynamoDB::Table')[0]![0];
      const tableArn = { 'Fn::GetAtt': [tableId, 'Arn'] };
      const onTable = statements.filter((st) => JSON.stringify(st.Resource) === JSON.stringify(tableArn));
      expect(
        onTable.map((st) => ({
          actions: asArray(st.Action).sort(),
          keys: (st.Condition as Json | undefined)?.['ForAllValues:StringLike'],
        })),
      ).toEqual(
        tableKinds.map((kind) => ({
          actions: [...EXPECTED_TABLE_ACCESS[kind].actions].sort(),
          keys: { 'dynamodb:LeadingKeys': EXPECTED_TABLE_ACCESS[kind].keys },
        })),
      );
      // Indexes: Query only, on the named index only.
      const indexes = statements
        .filter((st) => asArray(st.Action).some((a) => a.startsWith('dynamodb:')) && !onTable.includes(st))
        .map((st) => {
          expect(st.Action).toBe('dynamodb:Query');
          expect(st.Condition).toBeUndefined();
          return JSON.stringify(st.Resource);
        });
      const expectedIndexes = [
        ...new Set(tableKinds.flatMap((kind) => EXPECTED_TABLE_ACCESS[kind].indexes ?? [])),
      ].map((name) => JSON.stringify({ 'Fn::Join': ['', [tableArn, `/index/${name}`]] }));
      expect(indexes.sort()).toEqual(expectedIndexes.sort());
      for (const a of [
        'dynamodb:Scan',
        'dynamodb:BatchGetItem',
        'dynamodb:GetRecords',
        'dynamodb:DescribeTable',
      ]) {
        expect(actions.has(a), a).toBe(false);
      }
      // The data key, through DynamoDB only; writes only for the kinds that write.
      const tableKey = statements.filter(
        (st) =>
          JSON.stringify(st.Resource) === JSON.stringify({ 'Fn::GetAtt': [keyId('DataKey'), 'Arn'] }) &&
          String(JSON.stringify(st.Condition)).includes('dynamodb.'),
      );
      if (tableKinds.length > 0) {
        // Identical statements of two kinds are merged into one.
        expect(tableKey.length).toBeGreaterThan(0);
        const writes = tableKinds.some((k) =>
          EXPECTED_TABLE_ACCESS[k].actions.some((a) => !/GetItem|Query/.test(a)),
        );
        expect(new Set(tableKey.flatMap((st) => asArray(st.Action))).has('kms:Encrypt')).toBe(writes);
      } else {
        expect(tableKey).toEqual([]);
      }

      // Secrets Manager: exactly the actions of the named kinds, on the stage's gateway-secret prefix only.
      const expectedSecretActions = SECRET_KINDS.filter(has).flatMap((k) => SECRET_ACTIONS[k]);
      expect([...actions].filter((a) => a.startsWith('secretsmanager:')).sort()).toEqual(
        [...new Set(expectedSecretActions)].sort(),
      );
      const pepperId = ofType('AWS::SecretsManager::Secret')[0]![0];
      const receiptKeyId = ofType('AWS::SecretsManager::Secret').find(([id]) =>
        id.startsWith('ReceiptKey'),
      )![0];
      const secretStatements = statements.filter((st) =>
        asArray(st.Action).some((a) => a.startsWith('secretsmanager:')),
      );
      for (const s of secretStatements) {
        expect(s.Effect).toBe('Allow');
        if (JSON.stringify(s.Resource) === JSON.stringify({ Ref: pepperId })) {
          // The pepper: read-only for the functions that hash codes; the rotation's steps for the rotation only.
          if (has('pepper:rotate')) {
            expect(asArray(s.Action).sort()).toEqual(
              SECRET_ACTIONS['pepper:rotate'].filter((a) => !a.endsWith('GetRandomPassword')),
            );
          } else {
            expect(asArray(s.Action)).toEqual(['secretsmanager:GetSecretValue']);
            expect(has('pepper:read')).toBe(true);
          }
        } else if (JSON.stringify(s.Resource) === JSON.stringify({ Ref: receiptKeyId })) {
          // The receipt key: read-only, for the functions that send and the per-message receipt routes.
          expect(asArray(s.Action)).toEqual(['secretsmanager:GetSecretValue']);
          expect(has('receipt-key:read')).toBe(true);
        } else if (asArray(s.Action).includes('secretsmanager:GetRandomPassword')) {
          expect(has('pepper:rotate')).toBe(true);
          expect(asArray(s.Action)).toEqual(['secretsmanager:GetRandomPassword']);
        } else if (JSON.stringify(s.Resource) === JSON.stringify(INTEGRATION_SECRET_PREFIX_ARN)) {
          expect(has('integration-secrets:read') || has('integration-secrets:write')).toBe(true);
        } else {
          expect(s.Resource).toEqual(SECRET_PREFIX_ARN);
          expect(has('gateway-secrets:read') || has('gateway-secrets:write')).toBe(true);
        }
      }
      expect(
        secretStatements.some((st) => JSON.stringify(st.Resource) === JSON.stringify({ Ref: pepperId })),
      ).toBe(has('pepper:read') || has('pepper:rotate'));

      // SNS: Publish to "*" (phone numbers) only together with a Deny on every SNS ARN (topics, endpoints).
      const sns = statements.filter((st) => asArray(st.Action).some((a) => a.startsWith('sns:')));
      if (has('sms:send')) {
        expect(sns).toEqual(
          expect.arrayContaining([
            expect.objectContaining({ Effect: 'Allow', Action: 'sns:Publish', Resource: '*' }),
            expect.objectContaining({ Effect: 'Deny', Action: 'sns:Publish', Resource: SNS_ANY_ARN }),
          ]),
        );
        expect(sns).toHaveLength(2);
      } else {
        expect(sns).toEqual([]);
      }

      // Resource "*" only where IAM offers nothing narrower: X-Ray, SMS publish, and (the rotation only)
      // GetRandomPassword, which has no resource at all.
      const starActions = ['xray:PutTraceSegments', 'xray:PutTelemetryRecords', 'sns:Publish'];
      if (has('pepper:rotate')) starActions.push('secretsmanager:GetRandomPassword');
      for (const s of statements.filter(
        (st) => st.Effect === 'Allow' && asArray(st.Resource).includes('*'),
      )) {
        for (const a of asArray(s.Action)) expect(starActions).toContain(a);
      }
      // Logs: only the function's own log group.
      const [, fn] = functionOf(id);
      const ownLogGroup = ((fn.Properties.LoggingConfig as Json).LogGroup as { Ref: string }).Ref;
      for (const s of statements.filter((st) => asArray(st.Action).some((a) => a.startsWith('logs:')))) {
        expect(s.Resource).toEqual({ 'Fn::GetAtt': [ownLogGroup, 'Arn'] });
      }
      // Conditions only on the table statements and the data key (kms:ViaService).
      for (const st of statements.filter((x) => x.Condition !== undefined)) {
        expect(asArray(st.Action).every((a) => a.startsWith('dynamodb:') || a.startsWith('kms:'))).toBe(true);
      }
    });

    it('the internet-facing authorizer may only read and touch API key items, and read store items', () => {
      const table = statementsOf(apiKeyAuthorizer.id).filter((st) =>
        asArray(st.Action).some((a) => a.startsWith('dynamodb:')),
      );
      expect(table).toEqual([
        expect.objectContaining({
          Action: ['dynamodb:GetItem', 'dynamodb:UpdateItem'],
          Condition: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['APIKEY#*'] } },
        }),
        // Whether the key's store (and application) still exists: nothing else of the configuration.
        expect.objectContaining({
          Action: ['dynamodb:ConditionCheckItem', 'dynamodb:GetItem'],
          Condition: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['STORE', 'APP#*'] } },
        }),
      ]);
    });

    it('without edge protection, there is no origin-verify secret and the authorizer reads no secret', () => {
      expect(ofType('AWS::SecretsManager::Secret').map(([, r]) => r.Properties.Name)).toEqual([
        `sms-mfa/${STAGE}/code-pepper`,
        `sms-mfa/${STAGE}/receipt-key`,
      ]);
      expect(apiKeyAuthorizer.access).not.toContain('origin-verify:read');
      expect(apiKeyAuthorizer.edgeAccess).toEqual(['origin-verify:read']);
      const actions = [...allowedActions(statementsOf(apiKeyAuthorizer.id))];
      expect(actions.filter((a) => a.startsWith('secretsmanager:'))).toEqual([]);
      const [, fn] = functionOf(apiKeyAuthorizer.id);
      expect(JSON.stringify(fn.Properties.Environment)).not.toContain('ORIGIN_VERIFY_REQUIRED');
    });

    it('the support desk routes have grants of their own; only their writes reach AUDIT# items', () => {
      const grants = Object.fromEntries(
        routes.filter((r) => r.id.startsWith('store-users-')).map((r) => [r.id, [...r.access].sort()]),
      );
      expect(grants).toEqual({
        'store-users-get': ['config:read', 'pepper:read', 'support:read'],
        // pepper:read everywhere: the userRef of the request's log lines (api.md "User ids in logs").
        'store-users-reset-factor': [
          'config:read',
          'events:publish',
          'notifier:invoke',
          'pepper:read',
          'support:write',
        ],
        'store-users-unlock': ['config:read', 'events:publish', 'pepper:read', 'support:write'],
      });
      // The audit partitions: the support desk's writes and every admin write that has an audit
      // (accessOf adds audit:write), and no other function.
      const audited = new Set(routes.filter((r) => r.operation.audit).map((r) => r.id));
      expect(audited.size).toBeGreaterThan(10);
      for (const [id] of ROLES) {
        const text = JSON.stringify(statementsOf(id));
        if (id === 'store-users-reset-factor' || id === 'store-users-unlock' || audited.has(id))
          expect(text, id).toContain('AUDIT#*');
        else expect(text, id).not.toContain('AUDIT#');
        // No gateway credential and no SMS permission: the reset's notice goes through the notifier.
        if (id.startsWith('store-users-')) expect(text, id).not.toMatch(/sns:Publish|gateways\//);
      }
    });

    it('the webhook deliveries routes have grants of their own; only they and the delivery worker reach WHDELIVERY# (the store sweep: see store-items:sweep)', () => {
      const grants = Object.fromEntries(
        routes.filter((r) => r.id.startsWith('webhook-deliveries-')).map((r) => [r.id, [...r.access].sort()]),
      );
      expect(grants).toEqual({
        'webhook-deliveries-list': ['webhook-deliveries:read', 'webhooks:read'],
        'webhook-deliveries-retry': [
          'audit:write',
          'events:publish',
          'webhook-deliveries:write',
          'webhook-queue:send',
          'webhooks:read',
        ],
      });
      const reaching = ROLES.filter(([id]) => JSON.stringify(statementsOf(id)).includes('WHDELIVERY#')).map(
        ([id]) => id,
      );
      expect(reaching.sort()).toEqual([
        'webhook-deliveries-list',
        'webhook-deliveries-retry',
        'webhook-delivery',
      ]);
    });

    it('no function may query the byStore index but the store sweep and the blocks routes', () => {
      // The blocks routes find a store's fraud-guard counters there (keys only, begins_with COUNT#<store>#;
      // IAM cannot narrow an index Query by its sort key) and may read only COUNT# items themselves.
      const blockRoutes = routes
        .filter((r) => r.access.some((a) => a.startsWith('blocks:')))
        .map((r) => r.id);
      expect(blockRoutes.sort()).toEqual(['blocks-delete', 'blocks-list']);
      for (const [id] of ROLES) {
        const text = JSON.stringify(statementsOf(id));
        if (blockRoutes.includes(id)) expect(text, id).toContain(`/index/${STORE_INDEX.name}`);
        else expect(text, id).not.toContain(`/index/${STORE_INDEX.name}`);
      }
    });

    it('gateways-get reads the table and touches no secret and no SNS', () => {
      const actions = [...allowedActions(statementsOf('gateways-get'))];
      expect(actions.filter((a) => a.startsWith('secretsmanager:') || a.startsWith('sns:'))).toEqual([]);
      expect(actions.filter((a) => TABLE_WRITE_ACTIONS.includes(a))).toEqual([]);
    });

    it('gateways-create may CreateSecret only under the stage prefix', () => {
      const create = statementsOf('gateways-create').filter((s) =>
        asArray(s.Action).includes('secretsmanager:CreateSecret'),
      );
      expect(create).toHaveLength(1);
      expect(create[0]!.Resource).toEqual(SECRET_PREFIX_ARN);
      expect(allowedActions(statementsOf('gateways-create')).has('sns:Publish')).toBe(false);
    });

    it('gateways-test may publish SMS and read secrets but not create them', () => {
      const actions = allowedActions(statementsOf('gateways-test'));
      expect(actions.has('sns:Publish')).toBe(true);
      expect(actions.has('secretsmanager:GetSecretValue')).toBe(true);
      expect(actions.has('secretsmanager:CreateSecret')).toBe(false);
      expect(actions.has('dynamodb:PutItem')).toBe(false);
    });

    it('lets SNS write SMS delivery status only to its own SMS log groups', () => {
      const roleId = built.stack.resolve(
        (built.stack.smsDeliveryStatus.role.node.defaultChild as CfnResource).logicalId,
      ) as string;
      expect(resources[roleId]!.Properties.AssumeRolePolicyDocument).toMatchObject({
        Statement: [
          {
            Action: 'sts:AssumeRole',
            Principal: { Service: 'sns.amazonaws.com' },
            Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
          },
        ],
      });
      const policies = ofType('AWS::IAM::Policy').filter(([, p]) =>
        JSON.stringify(p.Properties.Roles).includes(roleId),
      );
      expect(policies).toHaveLength(1);
      const text = JSON.stringify(policies[0]![1].Properties.PolicyDocument);
      expect(text).toContain('/DirectPublishToPhoneNumber*');
      template.hasOutput('SmsDeliveryStatusRoleArn', { Value: { 'Fn::GetAtt': [roleId, 'Arn'] } });
    });

    it("no role is assumable by anything but Lambda, except the backup role (AWS Backup), the SMS status role (SNS), the expiry schedules' role (Scheduler) and API Gateway's route invoker", () => {
      const backupRole = built.stack.resolve(
        (
          built.stack.backup!.node.findAll().find((c) => c.node.id === 'Role')!.node
            .defaultChild as CfnResource
        ).logicalId,
      ) as string;
      expect(resources[backupRole]!.Properties.AssumeRolePolicyDocument).toMatchObject({
        Statement: [
          { Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'backup.amazonaws.com' } },
        ],
      });
      const snsRole = built.stack.resolve(
        (built.stack.smsDeliveryStatus.role.node.defaultChild as CfnResource).logicalId,
      ) as string;
      const schedulerRole = built.stack.resolve(
        (built.stack.expiryReports.invokeRole.node.defaultChild as CfnResource).logicalId,
      ) as string;
      // Its conditions (this account, this schedule group) are checked in expiry-reports.test.ts.
      expect(JSON.stringify(resources[schedulerRole]!.Properties.AssumeRolePolicyDocument)).toContain(
        '"Principal":{"Service":"scheduler.amazonaws.com"}',
      );
      // API Gateway invokes the route functions with this role (the integrations' credentials), which may
      // invoke exactly the route functions and nothing else.
      const [invokerRole] = ofType('AWS::IAM::Role').find(([id]) => id.includes('RouteInvoker'))!;
      expect(resources[invokerRole]!.Properties.AssumeRolePolicyDocument).toEqual({
        Version: '2012-10-17',
        Statement: [
          { Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'apigateway.amazonaws.com' } },
        ],
      });
      const invokerStatements = ofType('AWS::IAM::Policy')
        .filter(([, p]) => JSON.stringify(p.Properties.Roles).includes(invokerRole))
        .flatMap(([, p]) => (p.Properties.PolicyDocument as { Statement: Json[] }).Statement);
      expect(invokerStatements.length).toBeGreaterThan(0);
      for (const s of invokerStatements) expect(s.Action).toBe('lambda:InvokeFunction');
      // One statement naming each route function (and nothing else): no wildcard, no overflow policy.
      expect(invokerStatements).toHaveLength(1);
      expect(invokerStatements[0]!.Resource).toHaveLength(routes.length);
      for (const [roleId, role] of ofType('AWS::IAM::Role')) {
        if (roleId === backupRole || roleId === snsRole || roleId === schedulerRole || roleId === invokerRole)
          continue;
        expect(role.Properties.AssumeRolePolicyDocument).toEqual({
          Version: '2012-10-17',
          Statement: [
            { Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' } },
          ],
        });
      }
    });
  });

  describe('production hardening (issue 15)', () => {
    const routeKey = (id: string) => {
      const r = routes.find((x) => x.id === id)!;
      return `${r.method} ${r.path}`;
    };

    it('throttles the send routes and the public routes tighter than the default, with detailed metrics', () => {
      const [, stage] = ofType('AWS::ApiGatewayV2::Stage')[0]!;
      const settings = stage.Properties.RouteSettings as Record<string, Json>;
      const sendRoutes = routes.filter((r) => r.access.includes('sms:send')).map((r) => r.id);
      expect(sendRoutes.sort()).toEqual(
        [
          'challenges-authenticate',
          'gateways-test',
          'hooks-receive',
          'sms-factor-enroll',
          'verifications-create',
        ].sort(),
      );
      const send = { ThrottlingRateLimit: 10, ThrottlingBurstLimit: 20, DetailedMetricsEnabled: true };
      const publicRoute = { ThrottlingRateLimit: 5, ThrottlingBurstLimit: 10, DetailedMetricsEnabled: true };
      expect(settings).toEqual({
        ...Object.fromEntries(
          [...sendRoutes, 'callbacks-receive', 'callbacks-receive-send', 'callbacks-receive-send-get'].map(
            (id) => [routeKey(id), send],
          ),
        ),
        [routeKey('health')]: publicRoute,
        [routeKey('openapi')]: publicRoute,
      });
    });

    it('serves delivery receipts without an authorizer, with the public URL and only the grants they need', () => {
      template.hasResourceProperties('AWS::ApiGatewayV2::Route', {
        RouteKey: 'POST /callbacks/{gatewayId}',
        AuthorizationType: 'NONE',
      });
      const [, receipts] = functionOf('callbacks-receive');
      const variables = (receipts.Properties.Environment as { Variables: Record<string, Json> }).Variables;
      expect(variables.HOOK_BASE_URL).toBeDefined();
      // The sending functions name the same receipt address in what they send.
      const [, verify] = functionOf('verifications-create');
      expect(
        (verify.Properties.Environment as { Variables: Record<string, Json> }).Variables.HOOK_BASE_URL,
      ).toEqual(variables.HOOK_BASE_URL);
      const route = routes.find((r) => r.id === 'callbacks-receive')!;
      expect([...route.access].sort()).toEqual(
        [
          'config:read',
          'deliveries:write',
          'events:publish',
          'gateway-secrets:read',
          'reroutes:enqueue',
        ].sort(),
      );
    });

    it('keeps delivery-failover jobs on a delay queue encrypted with the data key, with a dead-letter queue that alarms', () => {
      const queueId = (name: string) =>
        ofType('AWS::SQS::Queue').find(([, q]) => q.Properties.QueueName === `sms-mfa-${STAGE}-${name}`)![0];
      const jobsId = queueId('reroute-jobs');
      const failedId = queueId('reroute-jobs-failed');
      const dataKey = { 'Fn::GetAtt': [keyId('DataKey'), 'Arn'] };
      expect(resources[jobsId]!.Properties).toMatchObject({
        KmsMasterKeyId: dataKey,
        RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': [failedId, 'Arn'] }, maxReceiveCount: 3 },
      });
      expect(resources[failedId]!.Properties).toMatchObject({ KmsMasterKeyId: dataKey });
      // TLS only, on both.
      for (const id of [jobsId, failedId]) {
        const [, policy] = ofType('AWS::SQS::QueuePolicy').find(([, p]) =>
          JSON.stringify(p.Properties.Queues).includes(id),
        )!;
        expect(JSON.stringify(policy.Properties.PolicyDocument)).toContain('"aws:SecureTransport":"false"');
      }
      // The worker reads it with partial batch failures.
      const [workerId, worker] = functionOf(rerouteWorker.id);
      const [, mapping] = ofType('AWS::Lambda::EventSourceMapping').find(
        ([, m]) => JSON.stringify(m.Properties.FunctionName) === JSON.stringify({ Ref: workerId }),
      )!;
      expect(mapping.Properties).toMatchObject({
        EventSourceArn: { 'Fn::GetAtt': [jobsId, 'Arn'] },
        FunctionResponseTypes: ['ReportBatchItemFailures'],
      });
      // It sends: under the sending functions' spend cap, with the send timeout and the receipt address.
      const variables = (worker.Properties.Environment as { Variables: Record<string, Json> }).Variables;
      expect(variables.REROUTE_QUEUE_URL).toEqual({ Ref: jobsId });
      expect(variables.HOOK_BASE_URL).toBeDefined();
      expect(worker.Properties.ReservedConcurrentExecutions).toBeDefined();
      // Every function that arms jobs (its route sends a challenge's code, or takes receipts) knows the
      // queue and may send to it alone; no other function can.
      for (const route of routes) {
        const [, fn] = functionOf(route.id);
        const env = (fn.Properties.Environment as { Variables: Record<string, Json> }).Variables;
        const arms = route.access.includes('reroutes:enqueue');
        expect(env.REROUTE_QUEUE_URL, route.id).toEqual(arms ? { Ref: jobsId } : undefined);
        const sends = statementsOf(route.id).filter((st) => asArray(st.Action).includes('sqs:SendMessage'));
        expect(
          sends.map((st) => st.Resource),
          route.id,
        ).toEqual(
          arms
            ? [{ 'Fn::GetAtt': [jobsId, 'Arn'] }]
            : route.access.includes('webhook-queue:send')
              ? [expect.anything()]
              : [],
        );
      }
      for (const id of ['challenges-authenticate', 'verifications-create', 'callbacks-receive-send']) {
        expect(routes.find((r) => r.id === id)?.access, id).toContain('reroutes:enqueue');
      }
      expect(routes.find((r) => r.id === 'gateways-test')!.access).not.toContain('reroutes:enqueue');
    });

    it('caps the sending functions with reserved concurrency, and the notifier too', () => {
      const [, notifier] = functionOf(replacementNotifier.id);
      expect(notifier.Properties.ReservedConcurrentExecutions).toBe(10);
      expect(notifier.Properties.Timeout).toBe(15);
      const [, authorizer] = functionOf(apiKeyAuthorizer.id);
      expect(authorizer.Properties.ReservedConcurrentExecutions).toBeUndefined();
      expect(authorizer.Properties.Timeout).toBe(10);
    });

    it.each([
      [replacementNotifier.id, 1, 900],
      [approvalUncounter.id, 2, 60],
      [expiryScheduler.id, 2, 3600],
      [expiryReporter.id, 2, 3600],
    ])(
      'gives the asynchronously invoked %s bounded retries (%i, %i s) and an encrypted on-failure queue with alarms',
      (id, retries, age) => {
        const [fnId] = functionOf(id);
        // One asynchronous-invocation config per asynchronously invoked function, and no other.
        const configs = new Map(
          ofType('AWS::Lambda::EventInvokeConfig').map(([, c]) => [
            JSON.stringify(c.Properties.FunctionName),
            c,
          ]),
        );
        expect([...configs.keys()].sort()).toEqual(
          ASYNC_IDS.map((asyncId) => JSON.stringify({ Ref: functionOf(asyncId)[0] })).sort(),
        );
        const config = configs.get(JSON.stringify({ Ref: fnId }))!;
        expect(config.Properties).toMatchObject({
          FunctionName: { Ref: fnId },
          Qualifier: '$LATEST',
          MaximumRetryAttempts: retries,
          MaximumEventAgeInSeconds: age,
        });
        const destination = (config.Properties.DestinationConfig as { OnFailure: { Destination: unknown } })
          .OnFailure.Destination as { 'Fn::GetAtt': [string, string] };
        const queue = resources[destination['Fn::GetAtt'][0]]!;
        expect(queue.Type).toBe('AWS::SQS::Queue');
        expect(queue.Properties).toMatchObject({
          QueueName: `sms-mfa-${STAGE}-${id}-failed`,
          KmsMasterKeyId: { 'Fn::GetAtt': [keyId('DataKey'), 'Arn'] },
          MessageRetentionPeriod: 14 * 86_400,
        });
        const alarms = Object.fromEntries(
          ofType('AWS::CloudWatch::Alarm').map(([, a]) => [a.Properties.AlarmName, a.Properties]),
        );
        expect(alarms[`sms-mfa-${STAGE}-${id}-failed-events`]).toMatchObject({
          MetricName: 'ApproximateNumberOfMessagesVisible',
          Namespace: 'AWS/SQS',
          Threshold: 1,
        });
        expect(alarms[`sms-mfa-${STAGE}-${id}-dropped-events`]).toMatchObject({
          MetricName: 'AsyncEventsDropped',
          Namespace: 'AWS/Lambda',
          Dimensions: [{ Name: 'FunctionName', Value: { Ref: fnId } }],
        });
      },
    );

    it('un-counts approvals asynchronously: a bus rule on challenge.approved invokes the un-count function, with bounded retries and a failure queue', () => {
      const [uncountId] = functionOf(approvalUncounter.id);
      const rules = ofType('AWS::Events::Rule').filter(([, rule]) =>
        JSON.stringify(rule.Properties.Targets).includes(uncountId),
      );
      expect(rules).toHaveLength(1);
      const [, rule] = rules[0]!;
      expect(rule.Properties.EventPattern).toEqual({
        source: ['sms-mfa'],
        'detail-type': ['challenge.approved'],
      });
      expect(rule.Properties.Targets).toEqual([
        expect.objectContaining({
          Arn: { 'Fn::GetAtt': [uncountId, 'Arn'] },
          RetryPolicy: { MaximumRetryAttempts: 3, MaximumEventAgeInSeconds: 60 },
        }),
      ]);
      // Only the bus's rule may invoke it.
      const permissions = ofType('AWS::Lambda::Permission').filter(
        ([, p]) =>
          JSON.stringify(p.Properties.FunctionName) === JSON.stringify({ 'Fn::GetAtt': [uncountId, 'Arn'] }),
      );
      expect(permissions.map(([, p]) => p.Properties.Principal)).toEqual(['events.amazonaws.com']);
      const [, config] = ofType('AWS::Lambda::EventInvokeConfig').find(
        ([, c]) => (c.Properties.FunctionName as { Ref?: string }).Ref === uncountId,
      )!;
      expect(config.Properties).toMatchObject({ MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 60 });
      const alarms = ofType('AWS::CloudWatch::Alarm').map(([, a]) => a.Properties.AlarmName);
      expect(alarms).toEqual(
        expect.arrayContaining([
          `sms-mfa-${STAGE}-approval-uncount-failed-events`,
          `sms-mfa-${STAGE}-approval-uncount-dropped-events`,
        ]),
      );
    });

    it('keeps named resources after a delete but not after a failed first create', () => {
      for (const type of [
        'AWS::Logs::LogGroup',
        'AWS::SecretsManager::Secret',
        'AWS::KMS::Key',
        'AWS::SQS::Queue',
      ]) {
        for (const [id, r] of ofType(type)) {
          expect(r.DeletionPolicy, `${type} ${id}`).toBe('RetainExceptOnCreate');
          expect(r.UpdateReplacePolicy, `${type} ${id}`).toBe('Retain');
        }
      }
      expect(built.stack.terminationProtection).toBe(true);
    });

    it('encrypts table, secrets and logs with rotated customer-managed keys', () => {
      for (const name of ['DataKey', 'SecretsKey', 'LogsKey'] as const) {
        expect(resources[keyId(name)]!.Properties.EnableKeyRotation, name).toBe(true);
      }
      const [, pepper] = ofType('AWS::SecretsManager::Secret')[0]!;
      expect(pepper.Properties.KmsKeyId).toEqual({ 'Fn::GetAtt': [keyId('SecretsKey'), 'Arn'] });
      for (const [id, group] of ofType('AWS::Logs::LogGroup')) {
        expect(group.Properties.KmsKeyId, id).toEqual({ 'Fn::GetAtt': [keyId('LogsKey'), 'Arn'] });
      }
    });

    it('lets only the roles that read or write secrets use the secrets key, through Secrets Manager only', () => {
      const policy = resources[keyId('SecretsKey')]!.Properties.KeyPolicy as {
        Statement: (Statement & { Principal: Json; Sid?: string })[];
      };
      const roleOf = (id: string) =>
        (functionOf(id)[1].Properties.Role as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
      const secretUsers = ROLES.filter(([, access]) =>
        access.some((a) => (SECRET_KINDS as readonly Access[]).includes(a)),
      ).map(([id]) => roleOf(id));
      const usingPrincipals = new Set<string>();
      for (const st of policy.Statement) {
        const actions = asArray(st.Action);
        const usesKey = actions.some(
          (a) => /^kms:(Decrypt|Encrypt|GenerateDataKey|ReEncrypt)/.test(a) || a === 'kms:*',
        );
        if (!usesKey) continue;
        expect(JSON.stringify(st.Condition), st.Sid).toContain('secretsmanager.');
        const principal = JSON.stringify(st.Principal.AWS);
        const role = /"Fn::GetAtt":\["([^"]+)","Arn"\]/.exec(principal)?.[1];
        if (role) usingPrincipals.add(role);
        else
          expect(principal, 'only the CloudFormation execution role besides the functions').toContain(
            'cfn-exec-role',
          );
      }
      expect([...usingPrincipals].sort()).toEqual([...new Set(secretUsers)].sort());
      // The account administers the key but cannot decrypt with it.
      const root = policy.Statement.find((st) => st.Sid === 'AccountAdministersTheKeyButCannotUseIt')!;
      expect(asArray(root.Action).some((a) => /Decrypt|Encrypt|GenerateDataKey|kms:\*/.test(a))).toBe(false);
    });

    it('lets CloudWatch Logs use the logs key for this account and region only', () => {
      const policy = resources[keyId('LogsKey')]!.Properties.KeyPolicy as {
        Statement: (Statement & { Principal: Json })[];
      };
      const logs = policy.Statement.find((st) => JSON.stringify(st.Principal).includes('logs.'))!;
      expect(JSON.stringify(logs.Condition)).toContain('kms:EncryptionContext:aws:logs:arn');
    });

    it('keeps the access and authorizer logs a year, the other function logs as configured', () => {
      const [, authorizer] = functionOf(apiKeyAuthorizer.id);
      const groupId = ((authorizer.Properties.LoggingConfig as Json).LogGroup as { Ref: string }).Ref;
      expect(resources[groupId]!.Properties.RetentionInDays).toBe(365);
    });

    it('saves the runbook queries and ranks API keys with Contributor Insights', () => {
      const names = ofType('AWS::Logs::QueryDefinition')
        .map(([, q]) => q.Properties.Name)
        .sort();
      expect(names).toEqual(
        [
          'provider failures by gateway',
          'refused sends by reason',
          'routes by status',
          'top API keys by status',
          'top source IPs by status',
        ].map((n) => `sms-mfa-${STAGE}/${n}`),
      );
      const accessLogId = built.stack.resolve(
        (built.stack.httpApi.accessLogGroup.node.defaultChild as CfnResource).logicalId,
      ) as string;
      const topKeys = ofType('AWS::Logs::QueryDefinition').find(([, q]) =>
        String(q.Properties.Name).endsWith('top API keys by status'),
      )!;
      expect(topKeys[1].Properties.LogGroupNames).toEqual([{ Ref: accessLogId }]);
      expect(String(topKeys[1].Properties.QueryString)).toContain('by keyId, storeId, status');
      const sendLogs = ofType('AWS::Logs::QueryDefinition').find(([, q]) =>
        String(q.Properties.Name).endsWith('refused sends by reason'),
      )!;
      // The sending routes' functions (hooks-receive among them), the notifier and the reroute worker.
      expect((sendLogs[1].Properties.LogGroupNames as unknown[]).length).toBe(7);
      const [, rule] = ofType('AWS::CloudWatch::InsightRule')[0]!;
      expect(rule.Properties.RuleState).toBe('ENABLED');
      expect(JSON.stringify(rule.Properties.RuleBody)).toContain('$.keyId');
    });

    it('backs the table up daily and monthly into a vault encrypted with the data key', () => {
      const [, vault] = ofType('AWS::Backup::BackupVault')[0]!;
      expect(vault.Properties.EncryptionKeyArn).toEqual({ 'Fn::GetAtt': [keyId('DataKey'), 'Arn'] });
      const [, plan] = ofType('AWS::Backup::BackupPlan')[0]!;
      const rules = (plan.Properties.BackupPlan as { BackupPlanRule: Json[] }).BackupPlanRule;
      expect(rules.map((r) => r.RuleName).sort()).toEqual(['Daily', 'Monthly1Year']);
      const [, selection] = ofType('AWS::Backup::BackupSelection')[0]!;
      const tableId = ofType('AWS::DynamoDB::Table')[0]![0];
      expect(JSON.stringify(selection.Properties)).toContain(tableId);
    });

    it('alarms on refused API keys, SMS spend and a low approval ratio', () => {
      const alarms = Object.fromEntries(
        ofType('AWS::CloudWatch::Alarm').map(([, a]) => [a.Properties.AlarmName, a.Properties]),
      );
      const spend = alarms[`sms-mfa-${STAGE}-sms-monthly-spend`]!;
      expect(spend.Threshold).toBe(100);
      const metric = JSON.stringify(spend.Metrics ?? spend);
      expect(metric).toContain('"MetricName":"SMSMonthToDateSpentUSD"');
      expect(metric).toContain('"Namespace":"AWS/SNS"');
      expect(alarms[`sms-mfa-${STAGE}-api-key-refused-spike`]).toMatchObject({ Threshold: 100 });
      expect(alarms[`sms-mfa-${STAGE}-approval-ratio-low`]).toMatchObject({
        Threshold: 50,
        ComparisonOperator: 'LessThanThreshold',
      });
    });
  });
});
