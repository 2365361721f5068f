import { getClient, KmsKeyringNode } from '@aws-crypto/client-node';
import { KMS } from '@aws-sdk/client-kms';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import { EncryptionSdkDecryptor } from '../../shared/adapters/kms/encryption-sdk-decryptor.ts';
import { CognitoSms, type CognitoSmsEvent } from '../../shared/domain/relay/cognito-sms.ts';
import { logger } from '../../shared/observability/powertools.ts';
import { integrations } from '../../shared/runtime/wiring/integrations.ts';
import { relay } from '../../shared/runtime/wiring/relay.ts';

/**
 * Cognito's CustomSMSSender trigger (deployed by `SmsMfaCognitoSender`). Invoked asynchronously by
 * Cognito; a thrown error goes to the on-failure queue (no retries: a late code is useless). The event
 * holds the encrypted code: it is never logged.
 */
const integrationId = process.env.SMS_MFA_INTEGRATION_ID ?? '';
const keyArn = process.env.COGNITO_KMS_KEY_ARN ?? '';
const decryptor = new EncryptionSdkDecryptor(
  new KmsKeyringNode({ keyIds: [keyArn], clientProvider: getClient(KMS) }),
);

export const handler = middy<CognitoSmsEvent, void>()
  .use(injectLambdaContext(logger, { logEvent: false, resetKeys: true }))
  .handler(async (event) => {
    const sender = new CognitoSms({
      integrations: { get: (id) => integrations().find(id) },
      decryptor,
      relay: relay(),
    });
    const result = await sender.run(integrationId, event);
    logger.info('cognito code relayed', { gatewayId: result.gatewayId, to: result.maskedPhone });
  });
