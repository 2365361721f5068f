import { defineProvider } from './define-provider.ts';

/**
 * Amazon SNS `Publish` through the AWS SDK (`sns-sender.ts`, built in `senders.ts` with the SDK client, so
 * that only the functions that send carry the SDK). SNS has no per-message receipts to verify.
 */
export const awsSns = defineProvider('aws-sns', { transport: { kind: 'aws-sdk' } });
