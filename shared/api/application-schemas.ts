import * as z from 'zod';
import type { Application } from '../domain/applications/application.ts';
import { resourceId, text } from './common.ts';
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

export const createApplicationBody = z.strictObject({ name: text(100), mfaPolicy: mfaPolicy.nullish() });
export const updateApplicationBody = z.strictObject({
  name: text(100).optional(),
  mfaPolicy: mfaPolicy.nullish(),
});

export const applicationParams = z.object({ storeId: resourceId, applicationId: resourceId });

export function applicationView(application: Application): z.input<typeof applicationSchema> {
  const { id, name, mfaPolicy, createdAt, updatedAt, version } = application;
  return { id, name, mfaPolicy, createdAt, updatedAt, version };
}
