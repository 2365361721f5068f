import { IdentityStoreTable } from '../../adapters/dynamodb/identity-store-table.ts';
import { IntegrationTable } from '../../adapters/dynamodb/integration-table.ts';
import { IntegrationService } from '../../domain/integrations/integration-service.ts';
import { audited } from './event-publishing.ts';
import { secrets } from './secrets.ts';
import { feature } from '../context.ts';

/** Identity-provider integrations: the admin routes, the hooks and the Cognito sender. */
export const integrations = /* @__PURE__ */ feature('integrations', (ctx) => {
  const { config } = ctx;
  return audited(
    ctx,
    new IntegrationService({
      integrations: new IntegrationTable(ctx.documents(), config.tableName),
      stores: new IdentityStoreTable(ctx.documents(), config.tableName),
      secrets: secrets(ctx),
      clock: ctx.clock,
      random: ctx.random,
      secretCacheSeconds: config.configCacheSeconds,
    }),
  );
});
