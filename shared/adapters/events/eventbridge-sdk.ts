/**
 * The EventBridge SDK names the publisher uses, imported (on first use) from here rather than from the
 * package: where the client is bundled (cdk/constructs/function-bundle.ts, bundlingFor), esbuild keeps
 * these two and their serialisers instead of the whole client's (a dynamic import of the package keeps
 * every command: 55 KiB more). Load it through `eventBridgeSdk()` (eventbridge-loader.ts), never directly.
 */
export { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
