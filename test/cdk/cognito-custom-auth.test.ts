import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { afterAll, describe, expect, it } from 'vitest';
import { SmsMfaCognitoCustomAuth } from '../../cdk/integrations/index.ts';
import { lambdaEnvironment } from '../../bench/lambda-environment.ts';
import { importSample } from '../../bench/module-init.ts';
import {
  bundledFiles,
  bundleInputs,
  runtimeEnvironment,
  templateBundles,
} from '../../cdk/synthesized-bundles.ts';
import { integrationFixture } from './integration-fixture.ts';
import { describeFindings, unacknowledgedFindings } from './nag-helpers.ts';

/** SmsMfaCognitoCustomAuth on a test user pool, beside the service's table, keys, pepper and bus. */
// Synthesized once for the file (bundling the three functions takes a while).
const fixture = integrationFixture({ eventBus: true });
const auth = new SmsMfaCognitoCustomAuth(fixture.stack, 'SmsAuth', {
  userPool: fixture.userPool,
  identityStoreId: 'ids_06h37rs3n8z0dz8dvvdvhc7r6m',
  service: fixture.service,
});
const template = Template.fromStack(fixture.stack);
const { app } = fixture;
afterAll(() => fixture.remove());

const KIB = 1024;
/**
 * Define only decides the next round (one challenge read) and Verify only checks an answer (the verify
 * use case's one write), so neither bundles the send path or libphonenumber's metadata. Both built the
 * whole challenge core until each was wired to its use case (synth, 2026-12-07 07:20 UTC): 647.6 and
 * 647.7 KiB, libphonenumber 189.8 KiB of each; after, Define 298.9 KiB (the DynamoDB client, the logger)
 * and Verify 384.8 KiB (the verify use case, the pepper's Secrets Manager client). The budgets are about
 * 4% above; both stay far below the `/v1` verify route's (680 KiB, test/cdk/bundles.test.ts), the target.
 */
const LEAN_TRIGGER_BUDGET_BYTES = { define: 310 * KIB, verify: 400 * KIB };
/** The issue path and the send path: what neither Define nor Verify may bundle. */
const SEND_PATH =
  /^shared\/domain\/(sending\/(send-plan|sms-delivery)|fraud\/fraud-guard|challenges\/(issue-code|pending-send))\.ts$/;

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- CloudFormation JSON
type Json = Record<string, any>;
const resolve = (value: unknown) => JSON.stringify(Stack.of(auth).resolve(value));

/** Every action (and its resources) in the policies attached to a trigger function's role. */
function grantsOf(trigger: keyof SmsMfaCognitoCustomAuth['functions']) {
  const role = resolve(auth.functions[trigger].role.roleName);
  return Object.values(template.findResources('AWS::IAM::Policy'))
    .filter((policy) => (policy.Properties.Roles as unknown[]).some((ref) => JSON.stringify(ref) === role))
    .flatMap((policy) => policy.Properties.PolicyDocument.Statement as Json[])
    .filter((statement) => statement.Effect === 'Allow')
    .flatMap((statement) =>
      [statement.Action]
        .flat()
        .map((action: string) => ({ action, resource: JSON.stringify(statement.Resource) })),
    );
}
/** The service actions (data, secrets, sending, events); logs, tracing and the table key's use aside. */
const SERVICE_ACTION = /^(dynamodb|secretsmanager|sns|sqs|events|lambda|kms:Encrypt|kms:GenerateDataKey):?/;
const actionsOf = (trigger: keyof SmsMfaCognitoCustomAuth['functions']) =>
  [...new Set(grantsOf(trigger).map((grant) => grant.action))].filter((a) => SERVICE_ACTION.test(a)).sort();

describe('SmsMfaCognitoCustomAuth', () => {
  it('wires Define, Create and Verify Auth Challenge on the pool, each allowed to be invoked by it', () => {
    const pool = Object.values(template.findResources('AWS::Cognito::UserPool'))[0]!;
    const config = pool.Properties.LambdaConfig as Json;
    expect(JSON.stringify(config.DefineAuthChallenge)).toBe(resolve(auth.functions.define.fn.functionArn));
    expect(JSON.stringify(config.CreateAuthChallenge)).toBe(resolve(auth.functions.create.fn.functionArn));
    expect(JSON.stringify(config.VerifyAuthChallengeResponse)).toBe(
      resolve(auth.functions.verify.fn.functionArn),
    );
    const permissions = Object.values(template.findResources('AWS::Lambda::Permission')).map(
      (permission) => permission.Properties as Json,
    );
    for (const trigger of ['define', 'create', 'verify'] as const) {
      const fn = resolve(auth.functions[trigger].fn.functionArn);
      const mine = permissions.filter((p) => JSON.stringify(p.FunctionName) === fn);
      expect(mine, trigger).toEqual([
        expect.objectContaining({
          Principal: 'cognito-idp.amazonaws.com',
          SourceArn: Stack.of(auth).resolve(fixture.userPool.userPoolArn),
        }),
      ]);
    }
  });

  it('tells each function its identity store and that the phone_number must be verified', () => {
    for (const trigger of ['define', 'create', 'verify'] as const) {
      const [fn] = Object.values(
        template.findResources('AWS::Lambda::Function', {
          Properties: { FunctionName: `sms-mfa-test-cognito-${trigger}-auth` },
        }),
      );
      expect(fn!.Properties.Environment.Variables).toMatchObject({
        SMS_MFA_IDENTITY_STORE_ID: 'ids_06h37rs3n8z0dz8dvvdvhc7r6m',
        SMS_MFA_REQUIRE_VERIFIED_PHONE: 'true',
      });
      // Only Create sends a challenge's code, so only Create arms reroute jobs.
      const queueUrl = fn!.Properties.Environment.Variables.REROUTE_QUEUE_URL;
      if (trigger === 'create') {
        expect(queueUrl).toEqual(
          Stack.of(auth).resolve(fixture.service.accessTargets.rerouteQueue!.queueUrl),
        );
      } else {
        expect(queueUrl).toBeUndefined();
      }
    }
  });

  it('grants least privilege: Define only reads challenges, Verify cannot send or read gateway secrets', () => {
    const tableWrite = [
      'dynamodb:ConditionCheckItem',
      'dynamodb:DeleteItem',
      'dynamodb:GetItem',
      'dynamodb:PutItem',
      'dynamodb:UpdateItem',
    ];
    expect(actionsOf('define')).toEqual(['dynamodb:GetItem']);
    expect(actionsOf('verify')).toEqual(
      [
        ...tableWrite,
        'events:PutEvents',
        'kms:Encrypt',
        'kms:GenerateDataKey',
        'secretsmanager:GetSecretValue',
      ].sort(),
    );
    // Verify's one secret is the pepper.
    const secrets = grantsOf('verify').filter((g) => g.action.startsWith('secretsmanager:'));
    expect(secrets.map((g) => g.resource)).toEqual([
      resolve(fixture.service.accessTargets.pepperSecret.secretArn),
    ]);
    expect(actionsOf('create')).toEqual(
      [
        ...tableWrite,
        'dynamodb:Query',
        'events:PutEvents',
        'kms:Encrypt',
        'kms:GenerateDataKey',
        'secretsmanager:GetSecretValue',
        'sns:Publish',
        'sqs:SendMessage',
      ].sort(),
    );
    // Create sends as every sending function does: the receipt key for per-message receipt addresses,
    // and its challenge's message arms a reroute job on the service's queue.
    const createSecrets = grantsOf('create').filter((g) => g.action === 'secretsmanager:GetSecretValue');
    expect(createSecrets.map((g) => g.resource)).toContain(
      resolve(fixture.service.accessTargets.receiptKeySecret!.secretArn),
    );
    expect(grantsOf('create').filter((g) => g.action === 'sqs:SendMessage')).toEqual([
      { action: 'sqs:SendMessage', resource: resolve(fixture.service.accessTargets.rerouteQueue!.queueArn) },
    ]);
    expect(actionsOf('define')).not.toContain('sqs:SendMessage');
    // The table actions of every trigger are limited to sms-mfa's partitions (LeadingKeys).
    for (const trigger of ['define', 'create', 'verify'] as const) {
      const role = resolve(auth.functions[trigger].role.roleName);
      const statements = Object.values(template.findResources('AWS::IAM::Policy'))
        .filter((policy) =>
          (policy.Properties.Roles as unknown[]).some((ref) => JSON.stringify(ref) === role),
        )
        .flatMap((policy) => policy.Properties.PolicyDocument.Statement as Json[])
        .filter((statement) => [statement.Action].flat().some((a: string) => a.startsWith('dynamodb:')));
      expect(statements.length, trigger).toBeGreaterThan(0);
      for (const statement of statements) {
        expect(JSON.stringify(statement.Condition), trigger).toContain('dynamodb:LeadingKeys');
      }
    }
  });

  it('bundles each trigger its own use case: Define and Verify within budget, with no send path or libphonenumber', () => {
    const bundles = templateBundles(app.outdir, template.toJSON());
    const bundleOf = (trigger: 'define' | 'verify') =>
      bundles.find((b) => b.functionName === `sms-mfa-test-cognito-${trigger}-auth`)!;
    for (const trigger of ['define', 'verify'] as const) {
      const bundle = bundleOf(trigger);
      expect(bundle.metafile, trigger).toBeDefined();
      expect(bundle.bytes, `${trigger}: ${(bundle.bytes / KIB).toFixed(1)} KiB`).toBeLessThan(
        LEAN_TRIGGER_BUDGET_BYTES[trigger],
      );
      expect(
        bundleInputs(bundle.metafile!).map((i) => i.name),
        trigger,
      ).not.toContain('libphonenumber-js');
      expect(
        bundledFiles(bundle.metafile!).filter((f) => SEND_PATH.test(f)),
        trigger,
      ).toEqual([]);
    }
    // Create issues and sends (the pattern names what a sending bundle holds), and nothing of the
    // challenge core's other use cases: 1,050.0 KiB with them, 1,038.3 KiB without (07:25 UTC).
    const create = bundledFiles(
      bundles.find((b) => b.functionName === 'sms-mfa-test-cognito-create-auth')!.metafile!,
    );
    expect(create.filter((f) => SEND_PATH.test(f)).length).toBeGreaterThan(0);
    expect(
      create.filter((f) =>
        /^shared\/domain\/challenges\/(enroll|authenticate|verify-phone|verify-code|cancel-challenge)\.ts$/.test(
          f,
        ),
      ),
    ).toEqual([]);
    // Define reads the challenge and verifies nothing.
    expect(bundledFiles(bundleOf('define').metafile!)).not.toContain(
      'shared/domain/challenges/verify-code.ts',
    );
    expect(bundledFiles(bundleOf('verify').metafile!)).toContain('shared/domain/challenges/verify-code.ts');
  });

  it('loads each trigger bundle in a fresh Node as Lambda would, and finds its handler export', async () => {
    const bundles = templateBundles(app.outdir, template.toJSON()).filter((b) =>
      b.functionName.startsWith('sms-mfa-test-cognito-'),
    );
    expect(bundles).toHaveLength(3);
    for (const bundle of bundles) {
      // CloudFormation references (the table, the bus, the queue) get stand-ins only the deploy resolves.
      const references = Object.fromEntries(
        Object.entries(bundle.variables)
          .filter(([, value]) => typeof value !== 'string')
          .map(([name]) => [name, `stand-in-for-${name.toLowerCase()}`]),
      );
      const sample = await importSample({
        file: bundle.file,
        exportName: bundle.exportName,
        environment: {
          ...lambdaEnvironment(bundle.functionName, bundle.memorySize),
          ...runtimeEnvironment(bundle.variables, references, true),
        },
      });
      expect(sample.importMs, bundle.functionName).toBeGreaterThan(0);
    }
  });

  it('is cdk-nag clean', () => {
    expect(describeFindings(unacknowledgedFindings(app))).toEqual([]);
  });
});
