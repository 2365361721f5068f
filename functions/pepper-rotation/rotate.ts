import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import * as z from 'zod';
import { PepperRotation } from '../../shared/adapters/secrets/pepper-rotation.ts';
import { logger } from '../../shared/observability/powertools.ts';
import { cryptoRandom } from '../../shared/ports/random.ts';
// The tracer's construction traces this function's outgoing HTTPS calls (X-Ray subsegments), as it
// did when every module that logged loaded it: kept here, where no handler subsegment is recorded.
import '../../shared/observability/tracer.ts';

const event = z.object({
  SecretId: z.string().min(1).max(2048),
  ClientRequestToken: z.string().min(32).max(64),
  Step: z.enum(['createSecret', 'setSecret', 'testSecret', 'finishSecret']),
});

let rotation: Promise<PepperRotation> | undefined;

/** Invoked by Secrets Manager on the pepper's rotation schedule, once per step. */
export const handler = middy()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .handler(async (input: unknown) => {
    const { SecretId, ClientRequestToken, Step } = event.parse(input);
    rotation ??= import('@aws-sdk/client-secrets-manager').then(
      ({ SecretsManagerClient }) => new PepperRotation(new SecretsManagerClient({}), cryptoRandom),
    );
    await (await rotation).run(Step, SecretId, ClientRequestToken);
    logger.info('pepper rotation step done', { step: Step });
  });
