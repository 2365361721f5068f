import { Aws, Duration, Stack, Validations } from 'aws-cdk-lib';
import type { Alarm } from 'aws-cdk-lib/aws-cloudwatch';
import { queueNotEmptyAlarm } from '../constructs/queue-alarm.ts';
import { type CfnUserPool, LambdaVersion, type UserPool } from 'aws-cdk-lib/aws-cognito';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { SENDING_ACCESS } from '../../shared/operations/operation.ts';
import type { Access } from '../../shared/routes.ts';
import { grantRouteAccess, type AccessTargets } from '../constructs/grants.ts';
import { RouteFunction, type RouteFunctionProps } from '../constructs/route-function.ts';

/** What the sender needs of the sms-mfa stack: how its functions are built and what they may reach. */
export interface SmsMfaServiceTargets {
  functionProps: Omit<RouteFunctionProps, 'spec'>;
  accessTargets: AccessTargets;
}

export interface SmsMfaCognitoSenderProps {
  /** The sms-mfa stack's `integrationTargets`. */
  service: SmsMfaServiceTargets;
  userPool: UserPool;
  /** The `cognito` integration (its settings name this pool and the key ARN this construct outputs). */
  integrationId: string;
  /**
   * How long a sign-in session lasts in the pool (its app clients' `authSessionValidity`, 3 to 15
   * minutes): a code delivered later than that is useless, so Cognito's event is dropped after it.
   */
  sessionValidity?: Duration;
}

/**
 * The sender reads config and integrations, counts sends, reads gateway credentials and the pepper, and
 * sends as every sending function does (SENDING_ACCESS: receipt addresses, routing statistics, gateway
 * health). Its codes are Cognito's own, of no challenge: they arm no reroute job.
 */
export const COGNITO_SENDER_ACCESS: readonly Access[] = [
  'config:read',
  'integrations:read',
  'challenges:write',
  'gateway-secrets:read',
  'pepper:read',
  ...SENDING_ACCESS,
];

/** The `code.sent` (and fraud-guard) events go on the service's bus when the targets name one. */
export const withEvents = (access: readonly Access[], service: SmsMfaServiceTargets): readonly Access[] =>
  service.accessTargets.eventBus ? [...access, 'events:publish'] : access;

/**
 * Cognito's CustomSMSSender trigger through sms-mfa: a KMS key that only this pool (aws:SourceAccount,
 * aws:SourceArn) may use to encrypt codes, the sender function (kms:Decrypt on that key only, trigger
 * version V1_0), no retries, a maximum event age of the session validity, and an on-failure queue with
 * an alarm.
 */
export class SmsMfaCognitoSender extends Construct {
  readonly key: Key;
  readonly function: RouteFunction;
  readonly failures: Queue;
  readonly failureAlarm: Alarm;

  constructor(scope: Construct, id: string, props: SmsMfaCognitoSenderProps) {
    super(scope, id);
    const { userPool, service } = props;
    // The pools of this account and region: naming the pool itself would be a cycle in one template
    // (the pool needs the key's ARN, the key policy the pool's id). aws:SourceAccount pins the account.
    const poolArn = Stack.of(this).formatArn({
      service: 'cognito-idp',
      resource: 'userpool',
      resourceName: '*',
    });
    this.key = new Key(this, 'CodeKey', {
      description: 'Encrypts the codes Cognito hands to the sms-mfa CustomSMSSender',
      enableKeyRotation: true,
    });
    this.key.addToResourcePolicy(
      new PolicyStatement({
        sid: 'CognitoEncryptsCodes',
        principals: [new ServicePrincipal('cognito-idp.amazonaws.com')],
        actions: ['kms:CreateGrant', 'kms:Encrypt'],
        resources: ['*'],
        conditions: {
          StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID },
          ArnLike: { 'aws:SourceArn': poolArn },
        },
      }),
    );

    this.function = new RouteFunction(this, 'Sender', {
      ...service.functionProps,
      environment: {
        ...service.functionProps.environment,
        SMS_MFA_INTEGRATION_ID: props.integrationId,
        COGNITO_KMS_KEY_ARN: this.key.keyArn,
      },
      invocation: 'async',
      spec: {
        id: 'cognito-sms-sender',
        handler: 'functions/cognito/custom-sms-sender.ts',
        description: 'Cognito CustomSMSSender: decrypts the code and relays it through sms-mfa',
        sends: true,
      },
    });
    grantRouteAccess(this.function.role, withEvents(COGNITO_SENDER_ACCESS, service), service.accessTargets);
    this.function.role.addToPrincipalPolicy(
      new PolicyStatement({ actions: ['kms:Decrypt'], resources: [this.key.keyArn] }),
    );

    this.failures = new Queue(this, 'Failures', {
      encryption: QueueEncryption.KMS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    for (const id of ['AwsSolutions-SQS3', 'Serverless-SQSRedrivePolicy']) {
      Validations.of(this.failures).acknowledge({
        id,
        reason: 'This queue is the on-failure destination of the sender: a dead-letter queue of its own.',
      });
    }
    const maxAge = props.sessionValidity ?? Duration.minutes(3);
    this.function.fn.configureAsyncInvoke({
      retryAttempts: 0,
      maxEventAge: maxAge,
      onFailure: new SqsDestination(this.failures),
    });
    this.failureAlarm = queueNotEmptyAlarm(this, 'FailureAlarm', this.failures, {
      description:
        'Cognito codes that sms-mfa could not deliver (limits, refused numbers, every gateway down). ' +
        'The queue holds the events; read the sender function log for the reasons.',
    });

    // On the L1 pool: addTrigger refuses a custom sender unless the pool was created with the key, which
    // is this construct's to make.
    const cfnPool = userPool.node.defaultChild as CfnUserPool;
    cfnPool.addPropertyOverride('LambdaConfig.KMSKeyID', this.key.keyArn);
    cfnPool.addPropertyOverride('LambdaConfig.CustomSMSSender', {
      LambdaArn: this.function.fn.functionArn,
      LambdaVersion: LambdaVersion.V1_0,
    });
    this.function.fn.addPermission('CognitoInvokes', {
      principal: new ServicePrincipal('cognito-idp.amazonaws.com'),
      sourceArn: userPool.userPoolArn,
      sourceAccount: Aws.ACCOUNT_ID,
    });
  }
}
