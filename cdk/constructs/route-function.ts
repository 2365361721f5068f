import { functionTimeoutSeconds } from '../../shared/domain/sending/deadline.ts';
import * as path from 'node:path';
import { Duration, type RemovalPolicy, Validations } from 'aws-cdk-lib';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import {
  type BundlingOptions,
  NodejsFunction,
  OutputFormat,
  SourceMapMode,
} from 'aws-cdk-lib/aws-lambda-nodejs';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct, type IConstruct } from 'constructs';
import { apiKeyAuthorizer, routes, type Route } from '../../shared/routes.ts';
import { HOT_PATH_IDS, memorySizeFor } from '../cold-start.ts';

/**
 * The newest Node.js runtime aws-cdk-lib knows: cdk-nag AwsSolutions-L1 / Serverless-LambdaLatestVersion
 * fail on anything older. The bundles target it too (esbuild's target is derived from the runtime).
 */
export const FUNCTION_RUNTIME = Runtime.NODEJS_24_X;

/**
 * ESM bundles still contain CommonJS dependencies (X-Ray SDK under the Powertools tracer) that call
 * `require`; without this banner the bundle fails at import with `Dynamic require of "util"`.
 */
export const ESM_REQUIRE_BANNER =
  "import { createRequire } from 'module'; const require = createRequire(import.meta.url);";

/** The build-time switch eventbridge-loader.ts reads (`runtime` or `bundled`), replaced by esbuild's `define`. */
const EVENTBRIDGE_SOURCE = 'process.env.SMS_MFA_EVENTBRIDGE_CLIENT';

/**
 * How every function is bundled; each choice is measured by `npm run bench` (README, "Performance").
 * - The AWS SDK is bundled rather than taken from the runtime: one tree-shaken, minified file
 *   initialises faster than resolving and evaluating the runtime's hundreds of SDK modules. Code that is
 *   imported on first use is still parsed at init when bundled, so what is rarely or never used comes
 *   from the runtime instead: the Lambda client (only the number-replacement notice invokes) and the
 *   credential providers after the environment one (Lambda always sets credentials in the environment).
 * - Source maps are written without sources and are not enabled at start-up (no --enable-source-maps):
 *   Node would read and parse the map during init. Stack traces can be mapped offline with them.
 * - The metafile (`index.meta.json`, never loaded) lets the bench and the budget tests name what a
 *   bundle is made of.
 */
export const BUNDLING = {
  format: OutputFormat.ESM,
  banner: ESM_REQUIRE_BANNER,
  mainFields: ['module', 'main'],
  minify: true,
  sourceMap: true,
  sourceMapMode: SourceMapMode.DEFAULT,
  sourcesContent: false,
  metafile: true,
  bundleAwsSDK: true,
  externalModules: [
    '@aws-sdk/client-lambda',
    // Imported on first publish (and by the webhook delivery): from the runtime, no init cost before it;
    // bundled where the first request publishes before it answers (bundlingFor).
    '@aws-sdk/client-eventbridge',
    '@aws-sdk/client-sqs',
    // Only the two expiry functions create schedules (cdk/constructs/expiry-reports.ts).
    '@aws-sdk/client-scheduler',
    '@aws-sdk/credential-provider-ini',
    '@aws-sdk/credential-provider-process',
    '@aws-sdk/credential-provider-sso',
    '@aws-sdk/credential-provider-web-identity',
    '@aws-sdk/credential-provider-http',
    // Imported (dynamically) by the node provider chain only when the environment has no credentials,
    // which on Lambda it always has: 6.7 KiB of every bundle never run.
    '@smithy/credential-provider-imds',
    // undici's HTTP parser without WebAssembly SIMD (70 KiB), which it requires only when compiling the SIMD
    // build fails: every Lambda runtime's V8 (x86_64 and arm64) has SIMD, so the fallback is never run.
    // Kept out of the bundle rather than shipped unused; were it ever needed, the require fails loudly.
    '../llhttp/llhttp-wasm.js',
  ],
  // Where the EventBridge client comes from (shared/adapters/events/eventbridge-loader.ts): esbuild drops the
  // other import, so a bundle that takes it from the runtime loads it on first publish, not at init.
  define: { [EVENTBRIDGE_SOURCE]: JSON.stringify('runtime') },
  forceDockerBundling: false,
} satisfies BundlingOptions;

const EVENTBRIDGE_CLIENT = '@aws-sdk/client-eventbridge';
const SECRETS_MANAGER_CLIENT = '@aws-sdk/client-secrets-manager';

/**
 * The admin routes' functions (not the gateway test, which sends). They use Secrets Manager only for a
 * credential write or read (gateway credentials, hook secrets, the pepper of a store's test numbers or a
 * support lookup), imported on that first use (wiring/secrets.ts), and they already take the EventBridge
 * client from the runtime on their first audited write: the Secrets Manager client (28.8 KiB) comes from
 * the runtime too, not parsed at every init. The functions that send read credentials on their first
 * send and keep it bundled, as the DynamoDB client is.
 */
const ADMIN_IDS: ReadonlySet<string> = new Set(
  routes.filter((r) => r.auth === 'admin' && !r.operation.sends).map((r) => r.id),
);

/**
 * The hot path's functions that publish events before they answer (verify and the three `/v1` send
 * routes; not the authorizer): on their first request the runtime's unbundled EventBridge client cost
 * 2-3 times health's whole init (resolving and evaluating its modules), so it is bundled into them, as
 * the DynamoDB client is. Every other function keeps it external (docs/performance.md).
 */
export function bundlingFor(functionId: string) {
  if (ADMIN_IDS.has(functionId))
    return { ...BUNDLING, externalModules: [...BUNDLING.externalModules, SECRETS_MANAGER_CLIENT] };
  if (!HOT_PATH_IDS.includes(functionId) || functionId === apiKeyAuthorizer.id) return BUNDLING;
  return {
    ...BUNDLING,
    externalModules: BUNDLING.externalModules.filter((m) => m !== EVENTBRIDGE_CLIENT),
    define: { ...BUNDLING.define, [EVENTBRIDGE_SOURCE]: JSON.stringify('bundled') },
  };
}

/** What a function is built from: a route of the table, or the API key authorizer. */
export interface FunctionSpec {
  id: string;
  handler: string;
  description: string;
  /** Functions that send SMS get a timeout above the send deadline. */
  sends: boolean;
}

export const routeSpec = (route: Route): FunctionSpec => ({
  id: route.id,
  handler: route.handler,
  description: `${route.method} ${route.path}: ${route.summary}`,
  sends: route.operation.sends === true,
});

export interface RouteFunctionProps {
  spec: FunctionSpec;
  stage: string;
  /** Repository root: the handler path in the route table is relative to it. */
  projectRoot: string;
  environment: Record<string, string>;
  logRetention: RetentionDays;
  logRemovalPolicy: RemovalPolicy;
  logEncryptionKey: IKey;
  /** Reserved concurrency; none (the account's unreserved pool) when unset. */
  reservedConcurrency?: number;
  /**
   * How the function is invoked: `sync` (API Gateway, the authorizer) or `async` (`InvocationType: Event`;
   * the caller must give it an AsyncInvocation failure path).
   */
  invocation?: 'sync' | 'async' | 'queue';
}

/**
 * One Lambda function for one route: its own role (starting empty; the route's `access` list adds
 * grants, see grants.ts), its own log group with retention, bundled locally with esbuild.
 */
export class RouteFunction extends Construct {
  readonly fn: NodejsFunction;
  readonly role: Role;
  readonly logGroup: LogGroup;

  constructor(scope: Construct, id: string, props: RouteFunctionProps) {
    super(scope, id);
    const { spec, stage, projectRoot } = props;
    const functionName = `sms-mfa-${stage}-${spec.id}`;
    if (functionName.length > 64)
      throw new Error(`Function name ${functionName} is longer than 64 characters`);

    // An explicit log group: retention without the LogRetention custom resource and its own Lambda.
    this.logGroup = new LogGroup(this, 'LogGroup', {
      logGroupName: `/aws/lambda/${functionName}`,
      retention: props.logRetention,
      removalPolicy: props.logRemovalPolicy,
      encryptionKey: props.logEncryptionKey,
    });

    // An explicit role instead of the default one: the default attaches the AWSLambdaBasicExecutionRole
    // managed policy (logs:* on every log group, cdk-nag IAM4). This one may write to its own log group only.
    this.role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `sms-mfa ${stage} ${spec.description}`.slice(0, 1000),
    });
    this.logGroup.grantWrite(this.role);

    this.fn = new NodejsFunction(this, 'Function', {
      functionName,
      description: spec.description.slice(0, 256),
      entry: path.join(projectRoot, spec.handler),
      handler: 'handler',
      projectRoot,
      depsLockFilePath: path.join(projectRoot, 'package-lock.json'),
      runtime: FUNCTION_RUNTIME,
      architecture: Architecture.ARM_64,
      memorySize: memorySizeFor(spec.id),
      // Sending functions run above the 12-second send deadline, so it is always the deadline that answers.
      timeout: Duration.seconds(functionTimeoutSeconds(spec.sends)),
      ...(props.reservedConcurrency === undefined
        ? {}
        : { reservedConcurrentExecutions: props.reservedConcurrency }),
      tracing: Tracing.ACTIVE,
      role: this.role,
      logGroup: this.logGroup,
      environment: props.environment,
      bundling: bundlingFor(spec.id),
    });
    // Depends on the role's whole subtree, including the policies grants.ts adds under it later, so
    // the function is never created (and invoked) before its permissions exist.
    this.fn.node.addDependency(this.role);

    // Tracing.ACTIVE put xray:PutTraceSegments/PutTelemetryRecords into the role's default policy.
    Validations.of(this.role.node.findChild('DefaultPolicy')).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'The only Resource "*" statement in this policy is X-Ray (xray:PutTraceSegments, xray:PutTelemetryRecords), ' +
        'which supports no resource-level permissions. Grants that need "*" for other reasons live in their own policies.',
    });
    Validations.of(this.fn.node.defaultChild as IConstruct).acknowledge({
      id: 'Serverless-LambdaDLQ',
      reason:
        props.invocation === 'queue'
          ? 'Invoked by an SQS event source mapping: failed messages return to the queue and, after the last ' +
            "attempt, go to the queue's redrive dead-letter queue (with an alarm); a function DLQ would stay empty."
          : props.invocation === 'async'
            ? 'Invoked asynchronously; its failed events go to the on-failure destination of its EventInvokeConfig ' +
              '(an encrypted SQS queue with depth and dropped-event alarms, see async-invocation.ts), which records ' +
              'the error with each event, unlike a dead-letter queue.'
            : 'Invoked only synchronously by API Gateway: a failure is returned to the caller and logged, never ' +
              'retried. A dead-letter queue receives failed asynchronous invocations only, so it would stay empty.',
    });
  }
}
