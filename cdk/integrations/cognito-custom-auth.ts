import { type UserPool, UserPoolOperation } from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';
import { SENDING_ACCESS } from '../../shared/operations/operation.ts';
import type { Access } from '../../shared/routes.ts';
import { grantRouteAccess } from '../constructs/grants.ts';
import { RouteFunction, type FunctionSpec } from '../constructs/route-function.ts';
import { withEvents, type SmsMfaServiceTargets } from './cognito-sender.ts';

export interface SmsMfaCognitoCustomAuthProps {
  /** The sms-mfa stack's `integrationTargets`. */
  service: SmsMfaServiceTargets;
  userPool: UserPool;
  /** The identity store whose code policy, gateways, limits and fraud guard the pool's codes follow. */
  identityStoreId: string;
  /**
   * Codes go only to a `phone_number` that Cognito marks `phone_number_verified` (default true). Turn it
   * off only where numbers are verified some other way before they are set.
   */
  requireVerifiedPhone?: boolean;
}

/** Each trigger's grants: Define reads challenges; Create issues and sends; Verify makes the one write. */
export const COGNITO_CUSTOM_AUTH_ACCESS = {
  define: ['challenges:read'],
  // It sends as every sending function does; its challenges' messages arm their reroute jobs (withReroutes).
  create: ['config:read', 'challenges:write', 'gateway-secrets:read', 'pepper:read', ...SENDING_ACCESS],
  verify: ['challenges:write', 'pepper:read'],
} as const satisfies Record<string, readonly Access[]>;

type Trigger = keyof typeof COGNITO_CUSTOM_AUTH_ACCESS;

const TRIGGERS: Record<Trigger, { operation: UserPoolOperation; spec: FunctionSpec }> = {
  define: {
    operation: UserPoolOperation.DEFINE_AUTH_CHALLENGE,
    spec: {
      id: 'cognito-define-auth',
      handler: 'functions/cognito/define-auth-challenge.ts',
      description: 'Cognito Define Auth Challenge: the password, then the sms-mfa code',
      sends: false,
    },
  },
  create: {
    operation: UserPoolOperation.CREATE_AUTH_CHALLENGE,
    spec: {
      id: 'cognito-create-auth',
      handler: 'functions/cognito/create-auth-challenge.ts',
      description: 'Cognito Create Auth Challenge: issues and sends the sms-mfa code',
      sends: true,
    },
  },
  verify: {
    operation: UserPoolOperation.VERIFY_AUTH_CHALLENGE_RESPONSE,
    spec: {
      id: 'cognito-verify-auth',
      handler: 'functions/cognito/verify-auth-challenge.ts',
      description: 'Cognito Verify Auth Challenge Response: the sms-mfa one-write verify',
      sends: false,
    },
  },
};

/**
 * Cognito custom authentication where sms-mfa owns the codes: the pool's Define, Create and Verify Auth
 * Challenge triggers call the challenge use cases directly, so the pool's sign-ins get hashed codes,
 * counted attempts, lockouts, resends, failover and the fraud guard of the identity store.
 */
export class SmsMfaCognitoCustomAuth extends Construct {
  readonly functions: Record<Trigger, RouteFunction>;

  constructor(scope: Construct, id: string, props: SmsMfaCognitoCustomAuthProps) {
    super(scope, id);
    const { service, userPool } = props;
    const environment = {
      ...service.functionProps.environment,
      SMS_MFA_IDENTITY_STORE_ID: props.identityStoreId,
      SMS_MFA_REQUIRE_VERIFIED_PHONE: String(props.requireVerifiedPhone ?? true),
    };
    const build = (trigger: Trigger): RouteFunction => {
      const { operation, spec } = TRIGGERS[trigger];
      // Create Auth Challenge sends a challenge's code: with a delivery deadline, it arms a reroute job.
      const queue = trigger === 'create' ? service.accessTargets.rerouteQueue : undefined;
      const fn = new RouteFunction(this, spec.id, {
        ...service.functionProps,
        environment: queue ? { ...environment, REROUTE_QUEUE_URL: queue.queueUrl } : environment,
        invocation: 'sync',
        spec,
      });
      const own: readonly Access[] = COGNITO_CUSTOM_AUTH_ACCESS[trigger];
      const access: readonly Access[] = queue ? [...own, 'reroutes:enqueue'] : own;
      grantRouteAccess(
        fn.role,
        trigger === 'define' ? access : withEvents(access, service),
        service.accessTargets,
      );
      userPool.addTrigger(operation, fn.fn);
      return fn;
    };
    this.functions = { define: build('define'), create: build('create'), verify: build('verify') };
  }
}
