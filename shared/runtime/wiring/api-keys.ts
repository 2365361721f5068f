import { ApiKeyTable } from '../../adapters/dynamodb/api-key-table.ts';
import { ApplicationTable } from '../../adapters/dynamodb/application-table.ts';
import { IdentityStoreTable } from '../../adapters/dynamodb/identity-store-table.ts';
import { ApiKeyService } from '../../domain/api-keys/api-key-service.ts';
import { OriginVerifier } from '../../domain/api-keys/origin-verify.ts';
import { secrets } from './secrets.ts';
import { feature } from '../context.ts';

/** API keys as the authorizer reads them (the admin routes: api-key-admin.ts). */
export const apiKeys = /* @__PURE__ */ feature('api keys', (ctx) => {
  const { config } = ctx;
  return new ApiKeyService({
    keys: new ApiKeyTable(ctx.documents(), config.tableName),
    stores: new IdentityStoreTable(ctx.documents(), config.tableName),
    applications: new ApplicationTable(ctx.documents(), config.tableName),
    clock: ctx.clock,
    random: ctx.random,
  });
});

/** Behind CloudFront only: checks the origin-verify header before any API key is looked up. */
export const originVerifier = /* @__PURE__ */ feature('origin verifier', (ctx) =>
  ctx.config.originVerifyRequired
    ? new OriginVerifier(secrets(ctx), ctx.config.configCacheSeconds)
    : undefined,
);
