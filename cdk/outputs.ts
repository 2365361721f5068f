import { CfnOutput } from 'aws-cdk-lib';
import type { SmsMfa } from './sms-mfa.ts';

/** What an operator needs after a deploy; on the SmsMfa itself, so its ids stay beside its resources. */
export function addServiceOutputs(mfa: SmsMfa): void {
  new CfnOutput(mfa, 'ApiUrl', {
    value: mfa.edge?.url ?? mfa.httpApi.url,
    description: 'Base URL of the API',
  });
  new CfnOutput(mfa, 'SmsDeliveryStatusRoleArn', {
    value: mfa.smsDeliveryStatus.role.roleArn,
    description: 'For aws-sns gateways: aws sns set-sms-attributes --attributes DeliveryStatusIAMRole=<this>',
  });
  new CfnOutput(mfa, 'EventBusName', {
    value: mfa.events.bus.eventBusName,
    description: 'EventBridge bus with every event (source sms-mfa); add your own rules to it',
  });
  new CfnOutput(mfa, 'TableName', { value: mfa.table.table.tableName, description: 'DynamoDB table' });
  new CfnOutput(mfa, 'Dashboard', {
    value: mfa.monitoring.dashboard.dashboardName,
    description: 'CloudWatch dashboard (CloudWatch console > Dashboards)',
  });
  new CfnOutput(mfa, 'AlarmTopic', {
    value: mfa.monitoring.topic.topicArn,
    description: 'SNS topic every alarm notifies; subscribe more endpoints to it',
  });
}
