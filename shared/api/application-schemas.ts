import * as z from 'zod';
import type { Application } from '../domain/applications/application.ts';
import { resourceId, text } from './common.ts';
import { ANDROID_APP_HASH, NO_MESSAGE_OPTIONS } from '../domain/messages/message-options.ts';
import type { applicationSchema } from './response-schemas.ts';

const role = z.string().trim().min(1).max(128);
const identitySource = z.string().trim().min(1).max(128);

/** Merge-patch shaped: every member optional and nullable (null restores its default). */
const mfaPolicy = z.strictObject({
  enabled: z.boolean().nullish(),
  enforcedRoles: z.array(role).max(100).nullish(),
  identitySources: z.array(identitySource).max(50).nullish(),
});

export const identitySources = z.array(identitySource).max(50);

/** Shapes only; the host name rules and the segment budget are the domain's (each error at its path). */
const messageOptions = z.strictObject({
  originDomain: z
    .string()
    .max(253)
    .nullish()
    .meta({ description: 'Host of the WebOTP last line `@<host> #<code>`; stored lower-cased' }),
  androidAppHash: z
    .string()
    .max(11)
    .regex(ANDROID_APP_HASH, 'must be the 11-character SMS Retriever app hash (A-Z a-z 0-9 + /)')
    .nullish()
    .meta({ description: 'Android SMS Retriever app hash, on its own line before the WebOTP line' }),
});

export const createApplicationBody = z.strictObject({
  name: text(100),
  mfaPolicy: mfaPolicy.nullish(),
  messageOptions: messageOptions.nullish(),
});
export const updateApplicationBody = z.strictObject({
  name: text(100).optional(),
  mfaPolicy: mfaPolicy.nullish(),
  messageOptions: messageOptions.nullish(),
});

export const applicationParams = z.object({ storeId: resourceId, applicationId: resourceId });

export function applicationView(application: Application): z.input<typeof applicationSchema> {
  const { id, name, mfaPolicy, createdAt, updatedAt, version } = application;
  const messageOptions = application.messageOptions ?? NO_MESSAGE_OPTIONS;
  return { id, name, mfaPolicy, messageOptions, createdAt, updatedAt, version };
}
