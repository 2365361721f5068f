import { ArnFormat, Aws, DefaultStackSynthesizer, Fn, type RemovalPolicy, Stack } from 'aws-cdk-lib';
import {
  AccountRootPrincipal,
  ArnPrincipal,
  type IRole,
  PolicyDocument,
  PolicyStatement,
  ServicePrincipal,
} from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';

export interface ServiceKeysProps {
  stage: string;
  removalPolicy: RemovalPolicy;
}

/** Managing a key, without using it: the account can still repair the policy, but cannot decrypt. */
const KEY_ADMIN_ACTIONS = [
  'kms:Create*',
  'kms:Describe*',
  'kms:Enable*',
  'kms:List*',
  'kms:Put*',
  'kms:Update*',
  'kms:Revoke*',
  'kms:Disable*',
  'kms:Get*',
  'kms:Delete*',
  'kms:TagResource',
  'kms:UntagResource',
  'kms:ScheduleKeyDeletion',
  'kms:CancelKeyDeletion',
];

/**
 * The stack's customer-managed KMS keys, each rotated yearly:
 * - `data`: the table and the failure queues. Its key policy trusts the account's IAM policies (the
 *   CDK default), and each function's role may use it only through DynamoDB or SQS (`kms:ViaService`).
 * - `secrets`: the code pepper, the gateway credentials and (edge protection) the origin-verify secret.
 *   Its key policy does not delegate use to IAM: only the roles named in it (the functions that read or
 *   write those secrets, and CloudFormation, which generates the pepper and the origin-verify secret and
 *   resolves the latter into CloudFront's origin header) may encrypt or decrypt, and only through
 *   Secrets Manager. An account administrator can change the policy (and that is logged in
 *   CloudTrail), but cannot decrypt with it.
 * - `logs`: every log group of the stack, used by CloudWatch Logs for this account's log groups only.
 */
export class ServiceKeys extends Construct {
  readonly data: Key;
  readonly secrets: Key;
  readonly logs: Key;

  constructor(scope: Construct, id: string, props: ServiceKeysProps) {
    super(scope, id);
    const { stage, removalPolicy } = props;
    this.data = new Key(this, 'DataKey', {
      description: `sms-mfa ${stage}: the DynamoDB table and the asynchronous failure queues`,
      enableKeyRotation: true,
      removalPolicy,
    });

    const stack = Stack.of(this);
    const synthesizer = stack.synthesizer;
    if (!(synthesizer instanceof DefaultStackSynthesizer)) {
      throw new Error('The secrets key policy names the CDK bootstrap CloudFormation execution role');
    }
    this.secrets = new Key(this, 'SecretsKey', {
      description: `sms-mfa ${stage}: the code pepper and gateway credentials in Secrets Manager`,
      enableKeyRotation: true,
      removalPolicy,
      policy: new PolicyDocument({
        statements: [
          new PolicyStatement({
            sid: 'AccountAdministersTheKeyButCannotUseIt',
            principals: [new AccountRootPrincipal()],
            actions: KEY_ADMIN_ACTIONS,
            resources: ['*'],
          }),
          new PolicyStatement({
            sid: 'CloudFormationCreatesTheGeneratedSecrets',
            // The synthesizer's ARN carries ${AWS::AccountId}-style placeholders for CloudFormation to fill in.
            principals: [new ArnPrincipal(Fn.sub(synthesizer.cloudFormationExecutionRoleArn))],
            actions: ['kms:Encrypt', 'kms:Decrypt', 'kms:GenerateDataKey*', 'kms:DescribeKey'],
            resources: ['*'],
            conditions: { StringEquals: secretsManagerOnly() },
          }),
        ],
      }),
    });

    this.logs = new Key(this, 'LogsKey', {
      description: `sms-mfa ${stage}: the API access log and every function log group`,
      enableKeyRotation: true,
      removalPolicy,
    });
    this.logs.addToResourcePolicy(
      new PolicyStatement({
        sid: 'CloudWatchLogsEncryptsThisAccountsLogGroups',
        principals: [new ServicePrincipal(`logs.${Aws.REGION}.amazonaws.com`)],
        actions: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
        resources: ['*'],
        conditions: {
          ArnLike: {
            'kms:EncryptionContext:aws:logs:arn': stack.formatArn({
              service: 'logs',
              resource: 'log-group',
              resourceName: '*',
              arnFormat: ArnFormat.COLON_RESOURCE_NAME,
            }),
          },
        },
      }),
    );
  }

  /** Lets `role` use the secrets key through Secrets Manager: decrypt to read, encrypt too to write. */
  allowSecrets(role: IRole, use: 'read' | 'write'): void {
    const actions =
      use === 'read'
        ? ['kms:Decrypt']
        : ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey*', 'kms:DescribeKey'];
    this.secrets.addToResourcePolicy(
      new PolicyStatement({
        principals: [role],
        actions,
        resources: ['*'],
        conditions: { StringEquals: secretsManagerOnly() },
      }),
    );
  }
}

function secretsManagerOnly() {
  return {
    'kms:ViaService': `secretsmanager.${Aws.REGION}.amazonaws.com`,
    'kms:CallerAccount': Aws.ACCOUNT_ID,
  };
}
