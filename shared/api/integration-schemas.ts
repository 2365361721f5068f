import * as z from 'zod';
import { INTEGRATION_KINDS, type Integration } from '../domain/integrations/integration.ts';
import { idString, int, str, timestamp } from './bounds.ts';
import { resourceId, text } from './common.ts';

/** Cognito's: the pool whose CustomSMSSender sends through this integration, and the key it encrypts codes with. */
const settings = z.strictObject({
  userPoolId: z
    .string()
    .max(55)
    .regex(/^[\w-]+_[0-9a-zA-Z]+$/, 'is not a Cognito user pool id')
    .optional(),
  kmsKeyArn: z
    .string()
    .max(2048)
    .regex(/^arn:aws[\w-]*:kms:[\w-]+:\d{12}:key\/[\w-]+$/, 'is not a KMS key ARN')
    .optional(),
});

export const createIntegrationBody = z.strictObject({
  kind: z.enum(INTEGRATION_KINDS),
  name: text(100),
  settings: settings.optional(),
});

export const updateIntegrationBody = z.strictObject({
  name: text(100).optional(),
  settings: settings.nullable().optional(),
});

export const integrationParams = z.object({ storeId: resourceId, integrationId: resourceId });
export const hookParams = z.object({ integrationId: resourceId });

export const integrationSchema = z
  .strictObject({
    id: idString,
    kind: z.enum(INTEGRATION_KINDS),
    name: str(100),
    settings: z.strictObject({ userPoolId: str(55).optional(), kmsKeyArn: str(2048).optional() }),
    hookUrl: str(2048)
      .nullable()
      .meta({ description: 'Where the identity provider sends; null for cognito' }),
    createdAt: timestamp,
    updatedAt: timestamp,
    version: int(1, Number.MAX_SAFE_INTEGER),
  })
  .meta({ id: 'Integration' });

export const createdIntegrationSchema = integrationSchema
  .extend({ secret: str(256).optional().meta({ description: 'Shown only here' }) })
  .meta({ id: 'CreatedIntegration' });

export const rotatedSecretSchema = z.strictObject({ secret: str(256) }).meta({ id: 'RotatedSecret' });

/** Every kind's success answer: `{}`, or Okta's command (or its `error`, which makes Okta fall back). */
export const hookAnswerSchema = z
  .strictObject({
    commands: z
      .array(
        z.strictObject({
          type: z.literal('com.okta.telephony.action'),
          value: z
            .array(
              z.strictObject({ status: z.literal('SUCCESSFUL'), provider: str(32), transactionId: str(256) }),
            )
            .max(1),
        }),
      )
      .max(1)
      .optional(),
    error: z.strictObject({ errorSummary: str(4096) }).optional(),
  })
  .meta({ id: 'HookAnswer' });

export function integrationView(
  integration: Integration,
  baseUrl: string,
): z.input<typeof integrationSchema> {
  const { id, kind, name, settings: values, createdAt, updatedAt, version } = integration;
  return {
    id,
    kind,
    name,
    settings: values,
    hookUrl: kind === 'cognito' ? null : `${baseUrl.replace(/\/+$/, '')}/hooks/${id}`,
    createdAt,
    updatedAt,
    version,
  };
}
