import { Aws, Stack, Validations } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { IEventBus } from 'aws-cdk-lib/aws-events';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Effect, type IRole, Policy, PolicyStatement, type Role } from 'aws-cdk-lib/aws-iam';
import type { IConstruct } from 'constructs';
import type { Access } from '../../shared/routes.ts';
import type { ServiceKeys } from './keys.ts';
import { folderSecretsGrant, iam5ResourceFindingId, readOneSecret } from './secret-grants.ts';
import { tableGrant } from './table-grants.ts';

/** The resources the route table's access kinds refer to. */
export interface AccessTargets {
  table: ITable;
  /** Secrets Manager name prefix for gateway credentials, e.g. `sms-mfa/dev/`; one secret per gateway below it. */
  secretNamePrefix: string;
  /** The code pepper: only the functions that hash codes read it. */
  pepperSecret: ISecret;
  /** The receipt key: the functions that send (addresses) and the receipt functions (tokens) read it. */
  receiptKeySecret?: ISecret;
  /** The secret CloudFront's origin header carries (edge protection only), for `origin-verify:read`. */
  originVerifySecret?: ISecret;
  /** The number-replacement notifier, for `notifier:invoke`. */
  notifier?: IFunction;
  /** The key policy of the secrets key names every role that reads or writes secrets. */
  keys: ServiceKeys;
  /** The service's event bus, for `events:publish`. */
  eventBus?: IEventBus;
  /** The webhook deliveries queue, for `webhook-queue:send`. */
  webhookQueue?: IQueue;
  /** The reroute delay queue (encrypted with the data key), for `reroutes:enqueue`. */
  rerouteQueue?: IQueue;
  /** For `expiry:schedule`: the schedule group and the role its schedules invoke the reporter with. */
  expirySchedules?: { groupName: string; invokeRole: IRole };
}

export type Grant = (role: Role, targets: AccessTargets) => void;

/**
 * Access kind -> the narrowest IAM grant for it. A mapped type over `Access`: adding an access kind to
 * the route table does not compile until it has a grant here (and a table kind until TABLE_GRANTS has it).
 */
const GRANTS: { readonly [A in Access]: Grant } = {
  'config:read': tableGrant('config:read'),
  'config:write': tableGrant('config:write'),
  'api-keys:authenticate': tableGrant('api-keys:authenticate'),
  'api-keys:read': tableGrant('api-keys:read'),
  'api-keys:write': tableGrant('api-keys:write'),
  'challenges:read': tableGrant('challenges:read'),
  'challenges:write': tableGrant('challenges:write'),
  'challenges:history': tableGrant('challenges:history'),
  'routing:read': tableGrant('routing:read'),
  'routing:write': tableGrant('routing:write'),
  'gateway-health:read': tableGrant('gateway-health:read'),
  'gateway-health:write': tableGrant('gateway-health:write'),
  'deliveries:write': tableGrant('deliveries:write'),
  'challenges:report-expiry': tableGrant('challenges:report-expiry'),
  'store-items:sweep': tableGrant('store-items:sweep'),
  'blocks:read': tableGrant('blocks:read'),
  'blocks:write': tableGrant('blocks:write'),
  'support:read': tableGrant('support:read'),
  'support:write': tableGrant('support:write'),
  'audit:write': tableGrant('audit:write'),
  'usage:read': tableGrant('usage:read'),
  'usage:write': tableGrant('usage:write'),
  'stores:check': tableGrant('stores:check'),
  'webhooks:read': tableGrant('webhooks:read'),
  'webhooks:write': tableGrant('webhooks:write'),
  'webhook-deliveries:read': tableGrant('webhook-deliveries:read'),
  'webhook-deliveries:write': tableGrant('webhook-deliveries:write'),
  'integrations:read': tableGrant('integrations:read'),
  'integrations:write': tableGrant('integrations:write'),
  'integration-secrets:read': folderSecretsGrant('integrations', 'read'),
  'integration-secrets:write': folderSecretsGrant('integrations', 'write'),
  'integration-secrets:delete': folderSecretsGrant('integrations', 'delete'),
  'gateway-secrets:read': folderSecretsGrant('gateways', 'read'),
  'gateway-secrets:write': folderSecretsGrant('gateways', 'write'),
  'pepper:read': (role, { pepperSecret, keys }) => readOneSecret(role, keys, pepperSecret),
  'receipt-key:read': (role, { receiptKeySecret, keys }) => {
    if (!receiptKeySecret) throw new Error('receipt-key:read needs the receipt key secret');
    readOneSecret(role, keys, receiptKeySecret);
  },
  // Secrets Manager's rotation protocol on the pepper secret only (a new version is staged, then made current).
  'pepper:rotate': (role, { pepperSecret, keys }) => {
    keys.allowSecrets(role, 'write');
    role.addToPrincipalPolicy(
      new PolicyStatement({
        actions: [
          'secretsmanager:DescribeSecret',
          'secretsmanager:GetSecretValue',
          'secretsmanager:PutSecretValue',
          'secretsmanager:UpdateSecretVersionStage',
        ],
        resources: [pepperSecret.secretArn],
      }),
    );
  },
  'origin-verify:read': (role, { originVerifySecret, keys }) => {
    if (!originVerifySecret)
      throw new Error('origin-verify:read needs the origin-verify secret (edge protection)');
    readOneSecret(role, keys, originVerifySecret);
  },
  'sms:send': (role) => smsSendPolicy(role),
  // PutEvents on the service's own bus only.
  'events:publish': (role, { eventBus }) => {
    if (!eventBus) throw new Error('events:publish needs the event bus');
    role.addToPrincipalPolicy(
      new PolicyStatement({ actions: ['events:PutEvents'], resources: [eventBus.eventBusArn] }),
    );
  },
  // CreateSchedule in the expiry group only, and PassRole on the one role its schedules run as.
  'expiry:schedule': (role, { expirySchedules }) => {
    if (!expirySchedules) throw new Error('expiry:schedule needs the expiry schedule group and role');
    const resource = expiryScheduleArnPattern(role, expirySchedules.groupName);
    // A policy of its own, so the acknowledgement below covers this statement and nothing else.
    const policy = new Policy(role, 'ExpirySchedules', {
      roles: [role],
      statements: [
        new PolicyStatement({ actions: ['scheduler:CreateSchedule'], resources: [resource] }),
        new PolicyStatement({ actions: ['iam:PassRole'], resources: [expirySchedules.invokeRole.roleArn] }),
      ],
    });
    Validations.of(policy).acknowledge({
      id: iam5ResourceFindingId(policy, resource),
      reason:
        `One schedule per challenge check is created at run time in the ${expirySchedules.groupName} group, ` +
        'named after the challenge, so no name is known at deploy time; the group is the narrowest scope, and ' +
        'CreateSchedule is the only action on it.',
    });
  },
  'webhook-queue:send': (role, { webhookQueue }) => {
    if (!webhookQueue) throw new Error('webhook-queue:send needs the webhook queue');
    role.addToPrincipalPolicy(
      new PolicyStatement({ actions: ['sqs:SendMessage'], resources: [webhookQueue.queueArn] }),
    );
  },
  // SendMessage on that one queue, and the two uses of its key (the data key) that sending to a
  // KMS-encrypted queue needs, through SQS only (CDK's grantSendMessages would add wildcard key actions).
  'reroutes:enqueue': (role, { rerouteQueue, keys }) => {
    if (!rerouteQueue) throw new Error('reroutes:enqueue needs the reroute queue');
    role.addToPrincipalPolicy(
      new PolicyStatement({ actions: ['sqs:SendMessage'], resources: [rerouteQueue.queueArn] }),
    );
    role.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
        resources: [keys.data.keyArn],
        conditions: { StringEquals: { 'kms:ViaService': `sqs.${Aws.REGION}.amazonaws.com` } },
      }),
    );
  },
  'notifier:invoke': (role, { notifier }) => {
    if (!notifier) throw new Error('notifier:invoke needs the notifier function');
    // The function's own ARN only (grantInvoke would add its versions, `:*`, which nothing uses).
    role.addToPrincipalPolicy(
      new PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [notifier.functionArn] }),
    );
  },
};

/** Gives `role` exactly what `access` names, nothing else. */
export function grantRouteAccess(role: Role, access: readonly Access[], targets: AccessTargets): void {
  for (const kind of new Set(access)) {
    const grant = GRANTS[kind];
    if (!grant) throw new Error(`No IAM grant is defined for access kind ${JSON.stringify(kind)}`);
    grant(role, targets);
  }
}

/** `arn:<partition>:scheduler:<region>:<account>:schedule/<group>/*`: the schedules of that group only. */
export function expiryScheduleArnPattern(scope: IConstruct, groupName: string): string {
  return Stack.of(scope).formatArn({
    service: 'scheduler',
    resource: 'schedule',
    resourceName: `${groupName}/*`,
  });
}

/**
 * sms:send: SNS Publish straight to phone numbers. A publish to a phone number has no resource ARN, so
 * IAM only allows it with `Resource: "*"`; there is no SNS condition key that tells a phone-number
 * publish from a topic publish (`sns:Protocol`/`sns:Endpoint` belong to Subscribe, and a `Null`
 * condition on a made-up `sns:TopicArn` key would simply never match). So the Allow on `*` is paired
 * with an explicit Deny of Publish on every SNS ARN (`arn:<partition>:sns:*:*:*`: topics and mobile
 * push endpoints, any region and account). An explicit Deny beats the Allow, leaving only the
 * ARN-less phone-number publish. This is the pattern AWS's own guidance uses for "SMS only" principals.
 */
function smsSendPolicy(role: Role): void {
  const policy = new Policy(role, 'SmsSend', {
    roles: [role],
    statements: [
      new PolicyStatement({ sid: 'PublishSmsToPhoneNumbers', actions: ['sns:Publish'], resources: ['*'] }),
      new PolicyStatement({
        sid: 'DenyPublishToTopicsAndEndpoints',
        effect: Effect.DENY,
        actions: ['sns:Publish'],
        resources: [`arn:${Aws.PARTITION}:sns:*:*:*`],
      }),
    ],
  });
  Validations.of(policy).acknowledge({
    id: 'AwsSolutions-IAM5[Resource::*]',
    reason:
      'sns:Publish to a phone number (SMS) has no resource ARN, so IAM requires Resource "*". The same policy ' +
      'explicitly denies sns:Publish on every SNS topic and endpoint ARN, so the function can only send SMS.',
  });
}
