import { ArnFormat, Aws, Stack, Validations } from 'aws-cdk-lib';
import { Policy, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { iam5ResourceFindingId } from './secret-grants.ts';

/**
 * The role Amazon SNS assumes to log SMS delivery status (`aws-sns` gateways) to CloudWatch Logs. SNS
 * takes it as an account setting (`aws sns set-sms-attributes --attributes DeliveryStatusIAMRole=<arn>`,
 * README, Deploy), which has no CloudFormation resource; the stack provides the role, scoped to the two
 * log groups SNS writes SMS status to in this account and region.
 */
export class SmsDeliveryStatusRole extends Construct {
  readonly role: Role;

  constructor(scope: Construct, id: string, props: { stage: string }) {
    super(scope, id);
    this.role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('sns.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID } },
      }),
      description: `sms-mfa ${props.stage}: SNS writes SMS delivery status to CloudWatch Logs`,
    });
    const logGroups = Stack.of(this).formatArn({
      service: 'logs',
      resource: 'log-group',
      resourceName: `sns/${Aws.REGION}/${Aws.ACCOUNT_ID}/DirectPublishToPhoneNumber*`,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
    const policy = new Policy(this, 'Logs', {
      roles: [this.role],
      statements: [
        new PolicyStatement({
          actions: [
            'logs:CreateLogGroup',
            'logs:CreateLogStream',
            'logs:PutLogEvents',
            'logs:PutRetentionPolicy',
          ],
          resources: [logGroups],
        }),
      ],
    });
    Validations.of(policy).acknowledge({
      id: iam5ResourceFindingId(policy, logGroups),
      reason:
        'SNS names its SMS delivery-status log groups itself: sns/<region>/<account>/DirectPublishToPhoneNumber ' +
        'and .../DirectPublishToPhoneNumber/Failure, with streams it creates. The pattern covers exactly those ' +
        'two groups of this account and region.',
    });
  }
}
