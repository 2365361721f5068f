import { Validations } from 'aws-cdk-lib';
import { UserPool } from 'aws-cdk-lib/aws-cognito';
import { EventBus } from 'aws-cdk-lib/aws-events';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import type { SmsMfaServiceTargets } from '../../cdk/integrations/index.ts';
import { constructStack } from './construct-stack.ts';

/**
 * A customer's stack for the identity-provider constructs: a test user pool beside the service's table,
 * keys, pepper, receipt key and reroute queue (and, with `eventBus`, its bus), as `integrationTargets`
 * would hand them over.
 */
export function integrationFixture(options: { eventBus?: boolean } = {}) {
  const base = constructStack('Pool', {
    stage: 'test',
    nag: true,
    env: { account: '123456789012', region: 'eu-west-1' },
  });
  const userPool = new UserPool(base.stack, 'Users', {});
  // The fixtures stand for the customer's pool and the service's pepper: their findings are not the construct's.
  Validations.of(base.pepperSecret).acknowledge({ id: 'AwsSolutions-SMG4', reason: 'test fixture' });
  for (const id of ['AwsSolutions-COG1', 'AwsSolutions-COG2', 'AwsSolutions-COG3', 'AwsSolutions-COG8']) {
    Validations.of(userPool).acknowledge({ id, reason: 'test fixture: the customer owns the pool' });
  }
  const receiptKeySecret = new Secret(base.stack, 'ReceiptKey');
  Validations.of(receiptKeySecret).acknowledge({ id: 'AwsSolutions-SMG4', reason: 'test fixture' });
  const rerouteQueue = new Queue(base.stack, 'RerouteJobs', {
    encryption: QueueEncryption.KMS,
    encryptionMasterKey: base.keys.data,
    enforceSSL: true,
  });
  for (const id of ['AwsSolutions-SQS3', 'Serverless-SQSRedrivePolicy']) {
    Validations.of(rerouteQueue).acknowledge({ id, reason: 'test fixture: the service owns the queue' });
  }
  const eventBus = options.eventBus ? new EventBus(base.stack, 'Bus') : undefined;
  const service: SmsMfaServiceTargets = {
    functionProps: base.functionProps,
    accessTargets: {
      ...base.accessTargets,
      receiptKeySecret,
      rerouteQueue,
      ...(eventBus ? { eventBus } : {}),
    },
  };
  return { ...base, userPool, service };
}
