import type { RemovalPolicy } from 'aws-cdk-lib';
import { type CfnSecret, Secret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct, IConstruct } from 'constructs';
import { Validations } from 'aws-cdk-lib';
import { ORIGIN_VERIFY_SECRET_NAME } from '../shared/domain/api-keys/origin-verify.ts';
import { RECEIPT_KEY_SECRET_NAME } from '../shared/domain/deliveries/receipt-address.ts';
import type { ServiceKeys } from './constructs/keys.ts';

interface SecretProps {
  secretNamePrefix: string;
  keys: ServiceKeys;
  removalPolicy: RemovalPolicy;
}

interface GeneratedSecret {
  /** The construct id (and so the logical id): never renamed, or CloudFormation replaces the secret. */
  id: string;
  name: string;
  description: string;
  /** The JSON field that holds the generated value. */
  field: string;
  /** Why the secret is not rotated on a schedule (cdk-nag AwsSolutions-SMG4), where it is not. */
  noRotationReason?: string;
}

/**
 * A service secret generated once at deploy: 64 characters without punctuation in one JSON field,
 * encrypted with the secrets key. The key is set on the L1 resource: Secret's encryptionKey prop would
 * also add a key-policy statement letting every principal of the account use the key through Secrets
 * Manager, which is what the secrets key's policy exists to prevent (keys.ts).
 */
function generatedSecret(
  scope: Construct,
  { secretNamePrefix, keys, removalPolicy }: SecretProps,
  spec: GeneratedSecret,
): Secret {
  const secret = new Secret(scope, spec.id, {
    secretName: `${secretNamePrefix}${spec.name}`,
    description: spec.description,
    generateSecretString: {
      secretStringTemplate: '{}',
      generateStringKey: spec.field,
      passwordLength: 64,
      excludePunctuation: true,
    },
    removalPolicy,
  });
  (secret.node.defaultChild as CfnSecret).kmsKeyId = keys.secrets.keyArn;
  if (spec.noRotationReason) {
    Validations.of(secret.node.defaultChild as IConstruct).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason: spec.noRotationReason,
    });
  }
  return secret;
}

/**
 * The pepper keyed into every code hash; never in the table or environment. Its rotation is the
 * pepper-rotation function's (cdk-nag sees that rotation schedule).
 */
export function codePepperSecret(scope: Construct, props: SecretProps): Secret {
  return generatedSecret(scope, props, {
    id: 'CodePepper',
    name: 'code-pepper',
    description: 'sms-mfa: HMAC pepper for one-time code hashes',
    field: 'pepper',
  });
}

/**
 * The receipt key: per-message receipt addresses carry base64url HMAC-SHA-256(key, `gatewayId.sendId`).
 * Read by the functions that send (to make addresses) and by the receipt functions (to judge them);
 * never in the table, the environment, an answer or a log.
 */
export function receiptKeySecret(scope: Construct, props: SecretProps): Secret {
  return generatedSecret(scope, props, {
    id: 'ReceiptKey',
    name: RECEIPT_KEY_SECRET_NAME,
    description: 'sms-mfa: HMAC key of per-message delivery receipt addresses',
    field: 'key',
    noRotationReason:
      'The receipt key signs the receipt addresses of messages already sent, which providers call for days: ' +
      'a scheduled rotation would refuse their receipts. It never leaves Secrets Manager and the functions ' +
      'that read it; replacing it (a new value) is the documented procedure after a suspected leak.',
  });
}

/**
 * Behind CloudFront: the value CloudFront adds to every origin request and the authorizer compares.
 * Created in the API's region, and not in the us-east-1 edge stack: the distribution is a resource of
 * the API's stack, so CloudFormation resolves the secret in-region at deploy (edge-distribution.ts), and
 * the authorizer reads it in its own region. Nothing crosses regions, nothing is in the template.
 */
export function originVerifySecretFor(scope: Construct, props: SecretProps): Secret {
  return generatedSecret(scope, props, {
    id: 'OriginVerify',
    name: ORIGIN_VERIFY_SECRET_NAME,
    description: 'sms-mfa: the header value CloudFront adds to origin requests (x-origin-verify)',
    field: 'value',
    noRotationReason:
      "CloudFront's origin header must change in the same deploy as the secret, and a rotation Lambda cannot " +
      'update a CloudFormation-managed distribution without drifting it: rotation is the documented ' +
      'procedure (README Operations: put the new value beside the previous one, redeploy with ' +
      'originVerifyVersionId), during which the authorizer accepts both values.',
  });
}
