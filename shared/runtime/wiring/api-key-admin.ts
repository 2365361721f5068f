import { feature } from '../context.ts';
import { apiKeys } from './api-keys.ts';
import { audited } from './event-publishing.ts';

/** The API key admin routes: audited writes, so the event log comes with them (not into the authorizer). */
export const apiKeyAdmin = /* @__PURE__ */ feature('api key admin', (ctx) => audited(ctx, apiKeys(ctx)));
