import { Duration } from 'aws-cdk-lib';
import type { ISecret, Secret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import { PEPPER_ROTATION_DAYS } from '../shared/domain/codes/pepper-versions.ts';
import { apiKeyAuthorizer, pepperRotator, replacementNotifier } from '../shared/routes.ts';
import type { StackConfig } from './config.ts';
import { type AccessTargets, grantRouteAccess } from './constructs/grants.ts';
import { RouteFunction, type RouteFunctionProps } from './constructs/route-function.ts';
import { sends } from './service-routes.ts';

export interface ServiceFunctionsProps {
  config: StackConfig;
  functionProps: Omit<RouteFunctionProps, 'spec'>;
  /** Reserved concurrency of the functions that send: the spend cap. */
  sendingProps: { reservedConcurrency: number };
  accessTargets: AccessTargets;
  pepperSecret: Secret;
  originVerifySecret?: ISecret;
}

/**
 * The functions that serve no route of their own: the API key authorizer, the replaced-number
 * notifier (invoked asynchronously by verify) and the pepper rotator.
 */
export function serviceFunctions(functionsScope: Construct, props: ServiceFunctionsProps) {
  const { config, functionProps, sendingProps, accessTargets, pepperSecret, originVerifySecret } = props;
  const environment = functionProps.environment;
  const authorizer = new RouteFunction(functionsScope, apiKeyAuthorizer.id, {
    ...functionProps,
    // Behind CloudFront it refuses requests without CloudFront's origin-verify header (the WAF's bypass).
    environment: originVerifySecret ? { ...environment, ORIGIN_VERIFY_REQUIRED: 'true' } : environment,
    // Its log records every refused key: part of the authentication audit trail.
    logRetention: config.auditLogRetention,
    spec: {
      id: apiKeyAuthorizer.id,
      handler: apiKeyAuthorizer.handler,
      description: 'API key authorizer for the /v1 routes',
      sends: false,
    },
  });
  grantRouteAccess(
    authorizer.role,
    originVerifySecret
      ? [...apiKeyAuthorizer.access, ...apiKeyAuthorizer.edgeAccess]
      : apiKeyAuthorizer.access,
    accessTargets,
  );
  const notifier = new RouteFunction(functionsScope, replacementNotifier.id, {
    ...functionProps,
    ...(sends(replacementNotifier.access) ? sendingProps : {}),
    invocation: 'async',
    spec: {
      id: replacementNotifier.id,
      handler: replacementNotifier.handler,
      description: 'Tells a number that an enrollment replaced it (invoked asynchronously by verify)',
      sends: sends(replacementNotifier.access),
    },
  });
  grantRouteAccess(notifier.role, replacementNotifier.access, accessTargets);
  // A rotation keeps the previous pepper beside the new one, and verify tries both: no code in flight is lost.
  const rotator = new RouteFunction(functionsScope, pepperRotator.id, {
    ...functionProps,
    spec: {
      id: pepperRotator.id,
      handler: pepperRotator.handler,
      description: "Rotates the code pepper (Secrets Manager's rotation steps)",
      sends: false,
    },
  });
  grantRouteAccess(rotator.role, pepperRotator.access, accessTargets);
  pepperSecret.addRotationSchedule('Rotation', {
    rotationLambda: rotator.fn,
    automaticallyAfter: Duration.days(PEPPER_ROTATION_DAYS),
  });
  return { authorizer, notifier, rotator };
}
