import { ArnFormat, Stack, Validations } from 'aws-cdk-lib';
import type { Policy } from 'aws-cdk-lib/aws-iam';
import { PolicyStatement, type Role } from 'aws-cdk-lib/aws-iam';
import type { IConstruct } from 'constructs';
// cdk-nag's own flattener, so an acknowledgement id is byte-for-byte the finding id it must match.
import { flattenCfnReference } from 'cdk-nag/lib/utils/flatten-cfn-reference.js';
import type { AccessTargets, Grant } from './grants.ts';

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
export function readOneSecret(role: Role, keys: AccessTargets['keys'], secret: { secretArn: string }): void {
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
export function folderSecretsGrant(
  folder: 'gateways' | 'integrations',
  mode: 'read' | 'write' | 'delete',
): Grant {
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
  // In the role's default policy (a policy of its own per grant took one of the stack's 500 resources
  // each); the acknowledgement names this statement's resource, so it covers this prefix and nothing else.
  role.addToPrincipalPolicy(new PolicyStatement({ sid: id, actions, resources: [resource] }));
  const policy = role.node.findChild('DefaultPolicy') as Policy;
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
