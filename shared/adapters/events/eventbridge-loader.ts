import type { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';

export interface EventBridgeSdk {
  EventBridgeClient: typeof EventBridgeClient;
  PutEventsCommand: typeof PutEventsCommand;
}

/**
 * The EventBridge SDK on first publish. Where a bundle takes the client from the runtime, esbuild turns
 * a dynamic import of a local file that re-exports an external package into a static `import` at the top
 * of the bundle, so `import('./eventbridge-sdk.ts')` would load and evaluate the runtime's unbundled client
 * during every cold start (50-60 ms, more than `health`'s whole init). The bundling sets
 * `process.env.SMS_MFA_EVENTBRIDGE_CLIENT` at build time (cdk/constructs/function-bundle.ts, bundlingFor) and
 * esbuild drops the branch not taken: `runtime` imports the package itself, which stays a dynamic import;
 * `bundled` imports the two names through eventbridge-sdk.ts. Unset (the local server, tests), the same.
 */
export const eventBridgeSdk = (): Promise<EventBridgeSdk> =>
  process.env.SMS_MFA_EVENTBRIDGE_CLIENT === 'runtime'
    ? import('@aws-sdk/client-eventbridge')
    : import('./eventbridge-sdk.ts');
