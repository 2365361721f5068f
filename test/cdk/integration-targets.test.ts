import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { Duration, Stack, Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { UserPool } from 'aws-cdk-lib/aws-cognito';
import { afterAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../cdk/app.ts';
import { routes } from '../../shared/routes.ts';
import { SmsMfaCognitoCustomAuth, SmsMfaCognitoSender } from '../../cdk/integrations/index.ts';

/**
 * The README's example: both Cognito constructs on a pool in the sms-mfa stack, given the stack's own
 * `integrationTargets` (bundling skipped: only the wiring is under test).
 */
const outdir = mkdtempSync(path.join(tmpdir(), 'sms-mfa-integration-targets-'));
afterAll(() => rmSync(outdir, { recursive: true, force: true }));

describe('integrationTargets of the sms-mfa stack', () => {
  it(
    'let both Cognito constructs build beside the stack and publish to its bus',
    { timeout: 240_000 },
    () => {
      // A few routes only: the whole route table with two Cognito constructs beside it would pass
      // CloudFormation's 500 resources in one stack (a team that deploys both puts them in a stack of their own).
      const { stack } = buildApp(
        { stage: 'test', edgeProtection: false, 'aws:cdk:bundling-stacks': [] },
        {
          outdir,
          stackProps: { routes: routes.filter((r) => r.id === 'users-mfa' || r.id.startsWith('hooks-')) },
        },
      );
      const userPool = new UserPool(stack, 'Users', {});
      for (const id of ['AwsSolutions-COG1', 'AwsSolutions-COG2', 'AwsSolutions-COG3', 'AwsSolutions-COG8']) {
        Validations.of(userPool).acknowledge({ id, reason: 'test fixture: the customer owns the pool' });
      }
      expect(stack.integrationTargets.accessTargets.eventBus).toBe(stack.events.bus);
      const sender = new SmsMfaCognitoSender(stack, 'CognitoSms', {
        service: stack.integrationTargets,
        userPool,
        integrationId: 'int_06h37rs3n8z0dz8dvvdvhc7r6m',
        sessionValidity: Duration.minutes(3),
      });
      const auth = new SmsMfaCognitoCustomAuth(stack, 'CognitoSignIn', {
        service: stack.integrationTargets,
        userPool,
        identityStoreId: 'ids_06h37rs3n8z0dz8dvvdvhc7r6m',
      });
      const template = Template.fromStack(stack);
      const bus = JSON.stringify(Stack.of(stack).resolve(stack.events.bus.eventBusArn));
      const roles = [sender.function, auth.functions.create, auth.functions.verify].map((fn) =>
        JSON.stringify(Stack.of(stack).resolve(fn.role.roleName)),
      );
      const publishing = Object.values(template.findResources('AWS::IAM::Policy')).filter((policy) =>
        (policy.Properties.PolicyDocument.Statement as { Action: unknown; Resource: unknown }[]).some(
          (statement) =>
            [statement.Action].flat().includes('events:PutEvents') &&
            JSON.stringify(statement.Resource) === bus,
        ),
      );
      const publishers = publishing.flatMap((policy) =>
        (policy.Properties.Roles as unknown[]).map((role) => JSON.stringify(role)),
      );
      for (const role of roles) expect(publishers).toContain(role);
      expect(publishers).not.toContain(
        JSON.stringify(Stack.of(stack).resolve(auth.functions.define.role.roleName)),
      );
    },
  );
});
