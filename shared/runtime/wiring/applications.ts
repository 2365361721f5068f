import { ApiKeyTable } from '../../adapters/dynamodb/api-key-table.ts';
import { ApplicationTable } from '../../adapters/dynamodb/application-table.ts';
import { IdentityStoreTable } from '../../adapters/dynamodb/identity-store-table.ts';
import { ApplicationService } from '../../domain/applications/application-service.ts';
import { audited } from './event-publishing.ts';
import { feature } from '../context.ts';

/** The application admin routes. */
export const applications = /* @__PURE__ */ feature('applications', (ctx) => {
  const { config } = ctx;
  return audited(
    ctx,
    new ApplicationService({
      applications: new ApplicationTable(ctx.documents(), config.tableName),
      keys: new ApiKeyTable(ctx.documents(), config.tableName),
      stores: new IdentityStoreTable(ctx.documents(), config.tableName),
      clock: ctx.clock,
      random: ctx.random,
    }),
  );
});
