import { ArnFormat, Aws, Stack } from 'aws-cdk-lib';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Topic } from 'aws-cdk-lib/aws-sns';
import type { Construct } from 'constructs';
import { cdkRemovalPolicy, type StackConfig } from '../config.ts';

/**
 * The alarm topic, encrypted with a key of its own. Not the AWS managed `alias/aws/sns` key: its key
 * policy cannot be changed, so CloudWatch could not use it and every alarm notification to the topic
 * would be dropped (SNS "compatibility between event sources from AWS services and encrypted topics").
 * CloudWatch may use the key and publish to the topic only for this stage's alarms in this account.
 */
export function alarmTopic(scope: Construct, config: StackConfig, alarmNamePrefix: string): Topic {
  const fromTheseAlarms = {
    StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID },
    ArnLike: {
      'aws:SourceArn': Stack.of(scope).formatArn({
        service: 'cloudwatch',
        resource: 'alarm',
        resourceName: `${alarmNamePrefix}*`,
        arnFormat: ArnFormat.COLON_RESOURCE_NAME,
      }),
    },
  };
  const cloudWatch = new ServicePrincipal('cloudwatch.amazonaws.com');
  const key = new Key(scope, 'AlarmTopicKey', {
    description: `sms-mfa ${config.stage}: encrypts alarm notifications on the alarm topic`,
    enableKeyRotation: true,
    removalPolicy: cdkRemovalPolicy(config),
  });
  key.addToResourcePolicy(
    new PolicyStatement({
      sid: 'CloudWatchAlarmsEncryptNotifications',
      principals: [cloudWatch],
      actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
      resources: ['*'],
      conditions: fromTheseAlarms,
    }),
  );
  const topic = new Topic(scope, 'AlarmTopic', {
    topicName: `sms-mfa-${config.stage}-alarms`,
    displayName: `sms-mfa ${config.stage} alarms`,
    masterKey: key,
    enforceSSL: true,
  });
  // The topic policy CDK writes for enforceSSL replaces SNS's default one, so CloudWatch needs an explicit Allow.
  topic.addToResourcePolicy(
    new PolicyStatement({
      sid: 'CloudWatchAlarmsPublish',
      principals: [cloudWatch],
      actions: ['sns:Publish'],
      resources: [topic.topicArn],
      conditions: fromTheseAlarms,
    }),
  );
  return topic;
}
