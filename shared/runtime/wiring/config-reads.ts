import { GatewayTable } from '../../adapters/dynamodb/gateway-table.ts';
import { IdentityStoreTable } from '../../adapters/dynamodb/identity-store-table.ts';
import { PepperSource } from '../../domain/codes/pepper.ts';
import { CachedGatewayDirectory } from '../../domain/gateways/gateway-directory.ts';
import type { GatewayRecord } from '../../domain/gateways/gateway.ts';
import type { IdentityStore } from '../../domain/identity-stores/identity-store.ts';
import { TtlCache } from '../../domain/ttl-cache.ts';
import { secrets } from './secrets.ts';
import { feature, type Context } from '../context.ts';

/** Hot-path configuration is cached in the warm process for CONFIG_CACHE_SECONDS. */
const maxAgeMs = (ctx: Context) => ctx.config.configCacheSeconds * 1000;

/** Identity stores as the hot path reads them: through the warm process's cache. */
export const cachedStores = /* @__PURE__ */ feature('cached stores', (ctx) => {
  const table = new IdentityStoreTable(ctx.documents(), ctx.config.tableName);
  const cache = new TtlCache<IdentityStore | undefined>(ctx.clock, maxAgeMs(ctx));
  return { get: (id: string) => cache.get(id, () => table.get(id)) };
});

/** Gateways with their credentials, cached as the stores are. */
export const gatewayDirectory = /* @__PURE__ */ feature(
  'gateway directory',
  (ctx) =>
    new CachedGatewayDirectory(
      new GatewayTable(ctx.documents(), ctx.config.tableName),
      secrets(ctx),
      new TtlCache<GatewayRecord | undefined>(ctx.clock, maxAgeMs(ctx)),
      ctx.config.configCacheSeconds,
    ),
);

/** The code pepper (a secret), created on first use only by the local file store. */
export const pepper = /* @__PURE__ */ feature(
  'pepper',
  (ctx) =>
    new PepperSource(secrets(ctx), ctx.clock, ctx.random, {
      createIfMissing: ctx.config.secretStore === 'file',
    }),
);
