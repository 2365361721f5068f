import * as z from 'zod';
import { resourceId, text } from './common.ts';

export const createApiKeyBody = z.strictObject({ name: text(100) });
export const apiKeyParams = z.object({ storeId: resourceId, keyId: resourceId });
