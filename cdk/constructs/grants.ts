import { ArnFormat, Aws, Stack, Validations } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Effect, Policy, PolicyStatement, type Role } from 'aws-cdk-lib/aws-iam';
import type { IConstruct } from 'constructs';
// cdk-nag's own flattener, so an acknowledgement id is byte-for-byte the finding id it must match.
import { flattenCfnReference } from 'cdk-nag/lib/utils/flatten-cfn-reference.js';
import type { Access } from '../../shared/routes.ts';

/** The resources the route table's access kinds refer to. */
export interface AccessTargets {
  table: ITable;
  /** Secrets Manager name prefix for gateway credentials, e.g. `sms-mfa/dev/`; one secret per gateway below it. */
  secretNamePrefix: string;
  /** The code pepper: only the functions that hash codes read it. */
  pepperSecret: ISecret;
  /** The number-replacement notifier, for `notifier:invoke`. */
  notifier?: IFunction;
}

type Grant = (role: Role, targets: AccessTargets) => void;

/**
 * Access kind -> the narrowest IAM grant for it. A mapped type over `Access`: adding an access kind to
 * the route table does not compile until it has a grant here.
 */
const GRANTS: { readonly [A in Access]: Grant } = {
  'table:read': (role, { table }) => {
    table.grantReadData(role);
    acknowledgeTableIndexes(role, table);
  },
  'table:write': (role, { table }) => {
    table.grantReadWriteData(role);
    acknowledgeTableIndexes(role, table);
  },
  'gateway-secrets:read': (role, targets) =>
    gatewaySecretsPolicy(role, 'GatewaySecretsRead', ['secretsmanager:GetSecretValue'], targets),
  'gateway-secrets:write': (role, targets) =>
    gatewaySecretsPolicy(
      role,
      'GatewaySecretsWrite',
      ['secretsmanager:CreateSecret', 'secretsmanager:PutSecretValue', 'secretsmanager:DeleteSecret'],
      targets,
    ),
  // GetSecretValue on that one secret (grantRead would add DescribeSecret, which nothing needs).
  'pepper:read': (role, { pepperSecret }) => {
    role.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ['secretsmanager:GetSecretValue'],
        resources: [pepperSecret.secretArn],
      }),
    );
  },
  'sms:send': (role) => smsSendPolicy(role),
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

/** `arn:<partition>:secretsmanager:<region>:<account>:secret:<prefix>gateways/*`: gateway credentials only, not the pepper. */
export function gatewaySecretsArnPattern(scope: IConstruct, secretNamePrefix: string): string {
  return Stack.of(scope).formatArn({
    service: 'secretsmanager',
    resource: 'secret',
    resourceName: `${secretNamePrefix}gateways/*`,
    arnFormat: ArnFormat.COLON_RESOURCE_NAME,
  });
}

/** The id cdk-nag gives the AwsSolutions-IAM5 finding for a wildcard in `resource`. */
export function iam5ResourceFindingId(scope: IConstruct, resource: string): string {
  return `AwsSolutions-IAM5[Resource::${flattenCfnReference(Stack.of(scope).resolve(resource))}]`;
}

function gatewaySecretsPolicy(role: Role, id: string, actions: string[], targets: AccessTargets): void {
  const resource = gatewaySecretsArnPattern(role, targets.secretNamePrefix);
  // A policy of its own (not the role's default policy) so the acknowledgement below covers this
  // statement and nothing else.
  const policy = new Policy(role, id, {
    roles: [role],
    statements: [new PolicyStatement({ actions, resources: [resource] })],
  });
  Validations.of(policy).acknowledge({
    id: iam5ResourceFindingId(policy, resource),
    reason:
      `Gateway credentials are stored one secret per gateway under the ${targets.secretNamePrefix}gateways/ name prefix, ` +
      'created at run time by the admin API, so their names are not known at deploy time. The prefix ' +
      '(plus the random suffix Secrets Manager appends) is the narrowest scope; it covers only this ' +
      "stage's gateway secrets.",
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

/** Table grants include `<table arn>/index/*` so Query on the GSI works; scoped to this one table. */
function acknowledgeTableIndexes(role: Role, table: ITable): void {
  const defaultPolicy = role.node.findChild('DefaultPolicy');
  Validations.of(defaultPolicy).acknowledge({
    id: iam5ResourceFindingId(role, `${table.tableArn}/index/*`),
    reason:
      "The DynamoDB grant covers this table's own secondary indexes (<table arn>/index/*, today only gsi1) " +
      'so the function can Query them; no other table is included.',
  });
}
