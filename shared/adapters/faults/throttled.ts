import { ThrottlingException } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { SecretStore } from '../../ports/secret-store.ts';

/**
 * Local mode's `FAULTS` switch: the dependency fails every call the way the SDK fails once it gives up
 * on throttling, so that the `503 unavailable` path can be seen over HTTP.
 */
const $metadata = { httpStatusCode: 400, attempts: 3 };

export function throttleDynamoDb(documents: DynamoDBDocumentClient): void {
  documents.middlewareStack.add(
    () => async () => {
      throw new ThrottlingException({ message: 'FAULTS=dynamodb: throttled (local fault)', $metadata });
    },
    { step: 'initialize', name: 'localFaultDynamoDb' },
  );
}

async function throttled(): Promise<never> {
  // The SDK module loads here, on the first failing call, as the real store loads it on first use.
  const { SecretsManagerServiceException } = await import('@aws-sdk/client-secrets-manager');
  throw new SecretsManagerServiceException({
    name: 'ThrottlingException',
    $fault: 'client',
    message: 'FAULTS=secrets: throttled (local fault)',
    $metadata,
  });
}

export const throttledSecrets = (): SecretStore => ({
  put: throttled,
  get: throttled,
  delete: throttled,
});
