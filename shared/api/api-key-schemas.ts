import * as z from 'zod';
import { resourceId, text } from './common.ts';

export const createApiKeyBody = z.strictObject({ name: text(100), applicationId: resourceId.optional() });
export type CreateApiKeyBody = z.input<typeof createApiKeyBody>;
export const apiKeyParams = z.object({ storeId: resourceId, keyId: resourceId });
