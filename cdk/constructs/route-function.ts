import { functionTimeoutSeconds } from '../../shared/domain/sending/deadline.ts';
import * as path from 'node:path';
import { Duration, type RemovalPolicy, Validations } from 'aws-cdk-lib';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, Function as LambdaFunction, Tracing } from 'aws-cdk-lib/aws-lambda';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct, type IConstruct } from 'constructs';
import type { Route } from '../../shared/routes.ts';
import { memorySizeFor } from '../cold-start.ts';
import { ENTRY_NAME, FUNCTION_RUNTIME, functionCode } from './function-bundle.ts';

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
  readonly fn: LambdaFunction;
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

    this.fn = new LambdaFunction(this, 'Function', {
      functionName,
      description: spec.description.slice(0, 256),
      code: functionCode(path.join(projectRoot, spec.handler), projectRoot, spec.id),
      handler: `${ENTRY_NAME}.handler`,
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
