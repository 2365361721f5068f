import { Validations } from 'aws-cdk-lib';
import { Policy, PolicyStatement, type Role } from 'aws-cdk-lib/aws-iam';

/** What a consumer of the table's stream may do with it: read this stream's records, list streams. */
export function grantStreamRead(role: Role, streamArn: string): Policy {
  const streamRead = new Policy(role, 'StreamRead', {
    roles: [role],
    statements: [
      new PolicyStatement({
        actions: ['dynamodb:DescribeStream', 'dynamodb:GetRecords', 'dynamodb:GetShardIterator'],
        resources: [streamArn],
      }),
      new PolicyStatement({ actions: ['dynamodb:ListStreams'], resources: ['*'] }),
    ],
  });
  Validations.of(streamRead).acknowledge({
    id: 'AwsSolutions-IAM5[Resource::*]',
    reason:
      'dynamodb:ListStreams supports no resource-level permissions; reading records is limited to this ' +
      "table's stream by the other statement.",
  });
  return streamRead;
}
