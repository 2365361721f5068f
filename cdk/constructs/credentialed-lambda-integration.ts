import {
  HttpIntegrationType,
  HttpRouteIntegration,
  IntegrationCredentials,
  PayloadFormatVersion,
  type HttpRouteIntegrationBindOptions,
  type HttpRouteIntegrationConfig,
} from 'aws-cdk-lib/aws-apigatewayv2';
import type { IRole, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';

/**
 * A Lambda proxy integration that API Gateway invokes with one role of its own (the integration's
 * credentials) instead of a resource-based permission per route: one role for every route keeps the
 * stack under CloudFormation's 500 resources (each route's `AWS::Lambda::Permission` was one more), and
 * the role may invoke exactly the route functions it was granted.
 */
export class CredentialedLambdaIntegration extends HttpRouteIntegration {
  constructor(
    id: string,
    private readonly handler: IFunction,
    private readonly invoker: IRole,
    /** The invoker's one statement: each route adds its function, so the policy stays one small document. */
    private readonly invocations: PolicyStatement,
  ) {
    super(id);
  }

  bind(_options: HttpRouteIntegrationBindOptions): HttpRouteIntegrationConfig {
    // The function itself, not its versions and aliases (`<arn>:*`, which grantInvoke would add).
    this.invocations.addResources(this.handler.functionArn);
    return {
      type: HttpIntegrationType.AWS_PROXY,
      uri: this.handler.functionArn,
      payloadFormatVersion: PayloadFormatVersion.VERSION_2_0,
      credentials: IntegrationCredentials.fromRole(this.invoker),
    };
  }
}
