import { ArnFormat, Aws, Stack, Validations } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { IEventBus } from 'aws-cdk-lib/aws-events';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Effect, type IRole, Policy, PolicyStatement, type Role } from 'aws-cdk-lib/aws-iam';
import type { IConstruct } from 'constructs';
// cdk-nag's own flattener, so an acknowledgement id is byte-for-byte the finding id it must match.
import { flattenCfnReference } from 'cdk-nag/lib/utils/flatten-cfn-reference.js';
import {
  API_KEY_PARTITIONS,
  APPLICATION_PREFIX,
  CHALLENGE_PARTITIONS,
  CHALLENGE_PREFIX,
  CONFIG_PARTITIONS,
  DELIVERY_PARTITIONS,
  COUNTER_PARTITIONS,
  INTEGRATION_PARTITIONS,
  STORE_OWNED_PARTITIONS,
  STORE_PARTITION,
  WEBHOOK_PARTITIONS,
} from '../../shared/adapters/dynamodb/key-prefixes.ts';
import { STORE_INDEX } from '../../shared/adapters/dynamodb/store-ownership.ts';
import { GSI1 } from '../../shared/adapters/dynamodb/table-definition.ts';
import type { Access } from '../../shared/routes.ts';
import type { ServiceKeys } from './keys.ts';

/** The resources the route table's access kinds refer to. */
export interface AccessTargets {
  table: ITable;
  /** Secrets Manager name prefix for gateway credentials, e.g. `sms-mfa/dev/`; one secret per gateway below it. */
  secretNamePrefix: string;
  /** The code pepper: only the functions that hash codes read it. */
  pepperSecret: ISecret;
  /** The secret CloudFront's origin header carries (edge protection only), for `origin-verify:read`. */
  originVerifySecret?: ISecret;
  /** The number-replacement notifier, for `notifier:invoke`. */
  notifier?: IFunction;
  /** The key policy of the secrets key names every role that reads or writes secrets. */
  keys: ServiceKeys;
  /** The service's event bus, for `events:publish`. */
  eventBus?: IEventBus;
  /** For `expiry:schedule`: the schedule group and the role its schedules invoke the reporter with. */
  expirySchedules?: { groupName: string; invokeRole: IRole };
}

type Grant = (role: Role, targets: AccessTargets) => void;

/** The access kinds that touch the table, each with the partitions it may touch (key-prefixes.ts). */
type TableAccess = Extract<
  Access,
  `${'config' | 'api-keys' | 'challenges' | 'deliveries' | 'store-items' | 'stores' | 'webhooks' | 'integrations' | 'blocks'}:${string}`
>;

interface TableGrant {
  /** Item actions on the table, allowed only for items whose partition key is in `partitions`. */
  actions: readonly string[];
  partitions: readonly string[];
  /** Query on these indexes (their items are copies of table items the kind may already read). */
  queryIndexes?: readonly string[];
}

const ITEM_READ = ['dynamodb:GetItem', 'dynamodb:Query'] as const;
const ITEM_CHANGES = ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'] as const;
/** Transactions need no action of their own: IAM checks each Put, Update, Delete and ConditionCheck item. */
const ITEM_WRITE = [...ITEM_CHANGES, 'dynamodb:ConditionCheckItem'] as const;
/** Items a store lists through GSI1 (keys, integrations). */
const LISTED_BY_STORE = { queryIndexes: [GSI1.name] };

/**
 * Table access kind -> explicit actions on explicit partitions. Nothing gets Scan, stream actions or
 * table-level actions; BatchWriteItem only where a kind deletes many items at once.
 */
export const TABLE_GRANTS: { readonly [A in TableAccess]: TableGrant } = {
  'config:read': { actions: ITEM_READ, partitions: CONFIG_PARTITIONS },
  // The store and application items only: API key creation checks them in its transaction, the
  // authorizer reads them.
  'stores:check': {
    actions: ['dynamodb:GetItem', 'dynamodb:ConditionCheckItem'],
    partitions: [STORE_PARTITION, APPLICATION_PREFIX],
  },
  'config:write': { actions: [...ITEM_READ, ...ITEM_WRITE], partitions: CONFIG_PARTITIONS },
  // Reads the key by id and refreshes lastUsedAt; cannot create, delete or list keys.
  'api-keys:authenticate': {
    actions: ['dynamodb:GetItem', 'dynamodb:UpdateItem'],
    partitions: API_KEY_PARTITIONS,
  },
  'api-keys:read': { actions: ['dynamodb:GetItem'], partitions: API_KEY_PARTITIONS, ...LISTED_BY_STORE },
  'api-keys:write': {
    actions: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem'],
    partitions: API_KEY_PARTITIONS,
    ...LISTED_BY_STORE,
  },
  'integrations:read': {
    actions: ['dynamodb:GetItem'],
    partitions: INTEGRATION_PARTITIONS,
    ...LISTED_BY_STORE,
  },
  'integrations:write': {
    actions: ['dynamodb:GetItem', ...ITEM_CHANGES],
    partitions: INTEGRATION_PARTITIONS,
    ...LISTED_BY_STORE,
  },
  'challenges:read': { actions: ['dynamodb:GetItem'], partitions: CHALLENGE_PARTITIONS },
  'challenges:write': { actions: ['dynamodb:GetItem', ...ITEM_WRITE], partitions: CHALLENGE_PARTITIONS },
  // The challenge item and its send records: one partition, one Query; nothing else of the challenges.
  'challenges:history': { actions: ['dynamodb:Query'], partitions: [CHALLENGE_PREFIX] },
  // The receipt pointer by message id, then the one send record it names.
  'deliveries:write': {
    actions: ['dynamodb:GetItem', 'dynamodb:UpdateItem'],
    partitions: DELIVERY_PARTITIONS,
  },
  'challenges:report-expiry': {
    actions: ['dynamodb:GetItem', 'dynamodb:UpdateItem'],
    partitions: [CHALLENGE_PREFIX],
  },
  'webhooks:read': { actions: ITEM_READ, partitions: WEBHOOK_PARTITIONS },
  // Create, rotate, disable, delete; one store's webhooks are one partition, read with Query.
  'webhooks:write': { actions: [...ITEM_READ, ...ITEM_CHANGES], partitions: WEBHOOK_PARTITIONS },
  // A store's counters are found through the keys-only `byStore` index, then read one by one.
  'blocks:read': {
    actions: ['dynamodb:GetItem'],
    partitions: COUNTER_PARTITIONS,
    queryIndexes: [STORE_INDEX.name],
  },
  'blocks:write': {
    actions: ['dynamodb:GetItem', 'dynamodb:UpdateItem'],
    partitions: COUNTER_PARTITIONS,
    queryIndexes: [STORE_INDEX.name],
  },
  'store-items:sweep': {
    actions: ['dynamodb:DeleteItem', 'dynamodb:BatchWriteItem'],
    partitions: STORE_OWNED_PARTITIONS,
    queryIndexes: [STORE_INDEX.name],
  },
};

/** `dynamodb:LeadingKeys` patterns for `StringLike`: the prefix `APIKEY#` becomes `APIKEY#*`, `STORE` stays. */
export function leadingKeyPatterns(partitions: readonly string[]): string[] {
  return partitions.map((p) => (p.endsWith('#') ? `${p}*` : p));
}

/** What DynamoDB asks KMS for on the caller's behalf when the table has a customer-managed key. */
const TABLE_KEY_READ = ['kms:Decrypt', 'kms:DescribeKey'];
const TABLE_KEY_WRITE = [...TABLE_KEY_READ, 'kms:Encrypt', 'kms:GenerateDataKey'];

function tableGrant(kind: TableAccess): Grant {
  const { actions, partitions, queryIndexes = [] } = TABLE_GRANTS[kind];
  const writes = actions.some((a) => !['dynamodb:GetItem', 'dynamodb:Query'].includes(a));
  return (role, { table }) => {
    if (table.encryptionKey) {
      role.addToPrincipalPolicy(
        new PolicyStatement({
          actions: writes ? TABLE_KEY_WRITE : TABLE_KEY_READ,
          resources: [table.encryptionKey.keyArn],
          conditions: { StringEquals: { 'kms:ViaService': `dynamodb.${Aws.REGION}.amazonaws.com` } },
        }),
      );
    }
    role.addToPrincipalPolicy(
      new PolicyStatement({
        actions: [...actions],
        resources: [table.tableArn],
        // ForAllValues: every partition key the request touches (a batch or transaction has several) must match.
        conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': leadingKeyPatterns(partitions) } },
      }),
    );
    for (const indexName of queryIndexes) {
      role.addToPrincipalPolicy(
        new PolicyStatement({
          actions: ['dynamodb:Query'],
          resources: [`${table.tableArn}/index/${indexName}`],
        }),
      );
    }
  };
}

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
  'deliveries:write': tableGrant('deliveries:write'),
  'challenges:report-expiry': tableGrant('challenges:report-expiry'),
  'store-items:sweep': tableGrant('store-items:sweep'),
  'blocks:read': tableGrant('blocks:read'),
  'blocks:write': tableGrant('blocks:write'),
  'stores:check': tableGrant('stores:check'),
  'webhooks:read': tableGrant('webhooks:read'),
  'webhooks:write': tableGrant('webhooks:write'),
  'integrations:read': tableGrant('integrations:read'),
  'integrations:write': tableGrant('integrations:write'),
  'integration-secrets:read': folderSecretsGrant('integrations', 'read'),
  'integration-secrets:write': folderSecretsGrant('integrations', 'write'),
  'integration-secrets:delete': folderSecretsGrant('integrations', 'delete'),
  'gateway-secrets:read': folderSecretsGrant('gateways', 'read'),
  'gateway-secrets:write': folderSecretsGrant('gateways', 'write'),
  'pepper:read': (role, { pepperSecret, keys }) => readOneSecret(role, keys, pepperSecret),
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

/** `arn:<partition>:secretsmanager:<region>:<account>:secret:<prefix>gateways/*`: gateway credentials only, not the pepper. */
export function gatewaySecretsArnPattern(scope: IConstruct, secretNamePrefix: string): string {
  return secretsArnPattern(scope, secretNamePrefix, 'gateways');
}

function secretsArnPattern(scope: IConstruct, secretNamePrefix: string, folder: string): string {
  return Stack.of(scope).formatArn({
    service: 'secretsmanager',
    resource: 'secret',
    resourceName: `${secretNamePrefix}${folder}/*`,
    arnFormat: ArnFormat.COLON_RESOURCE_NAME,
  });
}

/** The id cdk-nag gives the AwsSolutions-IAM5 finding for a wildcard in `resource`. */
export function iam5ResourceFindingId(scope: IConstruct, resource: string): string {
  return `AwsSolutions-IAM5[Resource::${flattenCfnReference(Stack.of(scope).resolve(resource))}]`;
}

/** GetSecretValue on one secret (grantRead would add DescribeSecret, which nothing needs). */
function readOneSecret(role: Role, keys: AccessTargets['keys'], secret: { secretArn: string }): void {
  keys.allowSecrets(role, 'read');
  role.addToPrincipalPolicy(
    new PolicyStatement({ actions: ['secretsmanager:GetSecretValue'], resources: [secret.secretArn] }),
  );
}

const FOLDER_SECRET_ACTIONS = {
  read: ['secretsmanager:GetSecretValue'],
  write: ['secretsmanager:CreateSecret', 'secretsmanager:PutSecretValue', 'secretsmanager:DeleteSecret'],
  delete: ['secretsmanager:DeleteSecret'],
};
const MODE_NAMES = { read: 'Read', write: 'Write', delete: 'Delete' } as const;

/** Read, write or delete the run-time secrets of one folder; the policy id names both (`GatewaySecretsRead`, ...). */
function folderSecretsGrant(folder: 'gateways' | 'integrations', mode: 'read' | 'write' | 'delete'): Grant {
  return (role, targets) => {
    const id = `${folder === 'gateways' ? 'Gateway' : 'Integration'}Secrets${MODE_NAMES[mode]}`;
    // Deleting a secret decrypts nothing: no use of the secrets key.
    if (mode !== 'delete') targets.keys.allowSecrets(role, mode);
    prefixedSecretsPolicy(role, id, folder, FOLDER_SECRET_ACTIONS[mode], targets);
  };
}

/** Secrets created at run time, one per gateway (`gateways/`) or integration (`integrations/`). */
function prefixedSecretsPolicy(
  role: Role,
  id: string,
  folder: 'gateways' | 'integrations',
  actions: string[],
  targets: AccessTargets,
): void {
  const resource = secretsArnPattern(role, targets.secretNamePrefix, folder);
  // A policy of its own (not the role's default policy) so the acknowledgement below covers this
  // statement and nothing else.
  const policy = new Policy(role, id, {
    roles: [role],
    statements: [new PolicyStatement({ actions, resources: [resource] })],
  });
  Validations.of(policy).acknowledge({
    id: iam5ResourceFindingId(policy, resource),
    reason:
      `${folder === 'gateways' ? 'Gateway credentials' : 'Integration hook secrets'} are stored one secret per ` +
      `${folder === 'gateways' ? 'gateway' : 'integration'} under the ${targets.secretNamePrefix}${folder}/ name prefix, ` +
      'created at run time by the admin API, so their names are not known at deploy time. The prefix ' +
      '(plus the random suffix Secrets Manager appends) is the narrowest scope; it covers only this ' +
      "stage's secrets of that kind.",
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
