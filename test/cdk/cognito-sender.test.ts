import { type App, Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SmsMfaCognitoSender } from '../../cdk/integrations/index.ts';
import { integrationFixture } from './integration-fixture.ts';
import { describeFindings, unacknowledgedFindings } from './nag-helpers.ts';

/** SmsMfaCognitoSender on a test user pool, beside the service's table, keys and pepper. */
let fixture: ReturnType<typeof integrationFixture>;
let app: App;
let template: Template;
let sender: SmsMfaCognitoSender;
beforeAll(() => {
  fixture = integrationFixture();
  app = fixture.app;
  sender = new SmsMfaCognitoSender(fixture.stack, 'Sms', {
    userPool: fixture.userPool,
    integrationId: 'int_06h37rs3n8z0dz8dvvdvhc7r6m',
    sessionValidity: Duration.minutes(5),
    service: fixture.service,
  });
  template = Template.fromStack(fixture.stack);
}, 120_000);
afterAll(() => fixture.remove());

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- CloudFormation JSON
type Statement = Record<string, any>;
const resolve = (value: unknown) => JSON.stringify(Stack.of(sender).resolve(value));

describe('SmsMfaCognitoSender', () => {
  it('lets only Cognito pools of this account and region use the key (aws:SourceAccount, aws:SourceArn)', () => {
    const [key] = Object.values(
      template.findResources('AWS::KMS::Key', {
        Properties: { Description: Match.stringLikeRegexp('CustomSMSSender') },
      }),
    );
    const statements = (key!.Properties.KeyPolicy.Statement as Statement[]).filter((st) =>
      JSON.stringify(st.Principal).includes('cognito-idp.amazonaws.com'),
    );
    expect(statements).toHaveLength(1);
    expect(statements[0]!.Action).toEqual(expect.arrayContaining(['kms:CreateGrant']));
    expect(statements[0]!.Condition.StringEquals['aws:SourceAccount']).toEqual({ Ref: 'AWS::AccountId' });
    expect(JSON.stringify(statements[0]!.Condition.ArnLike['aws:SourceArn'])).toContain(
      ':cognito-idp:eu-west-1:123456789012:userpool/',
    );
  });

  it('gives the function kms:Decrypt on that key only, wires the V1_0 trigger and the key on the pool', () => {
    const keyArn = resolve(sender.key.keyArn);
    const policies = template.findResources('AWS::IAM::Policy');
    const decrypts = Object.values(policies)
      .flatMap((p) => p.Properties.PolicyDocument.Statement as Statement[])
      .filter((st) => [st.Action].flat().includes('kms:Decrypt') && JSON.stringify(st.Resource) === keyArn);
    expect(decrypts).toHaveLength(1);
    const pool = Object.values(template.findResources('AWS::Cognito::UserPool'))[0]!;
    expect(pool.Properties.LambdaConfig.CustomSMSSender.LambdaVersion).toBe('V1_0');
    expect(JSON.stringify(pool.Properties.LambdaConfig.KMSKeyID)).toBe(keyArn);
    expect(JSON.stringify(pool.Properties.LambdaConfig.CustomSMSSender.LambdaArn)).toBe(
      resolve(sender.function.fn.functionArn),
    );
  });

  it('does not retry, drops events older than the session, and sends failures to a queue with an alarm', () => {
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      MaximumRetryAttempts: 0,
      MaximumEventAgeInSeconds: 300,
      DestinationConfig: { OnFailure: { Destination: Match.anyValue() } },
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Threshold: 0,
    });
  });

  it('is cdk-nag clean', () => {
    expect(describeFindings(unacknowledgedFindings(app))).toEqual([]);
  });
});
