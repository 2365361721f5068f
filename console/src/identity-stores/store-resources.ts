import { admin, answer, everyPage, op } from '../api.ts';
import type { Application, Block, Integration, Webhook } from '../types.ts';

const page = (storeId: string) => (nextToken: string | undefined) => ({
  path: { storeId },
  query: { limit: 100, ...(nextToken ? { nextToken } : {}) },
});

export const listApplications = (storeId: string): Promise<Application[]> =>
  everyPage((nextToken) => admin.GET(op['applications-list'], { params: page(storeId)(nextToken) }));

export const listIntegrations = (storeId: string): Promise<Integration[]> =>
  everyPage((nextToken) => admin.GET(op['integrations-list'], { params: page(storeId)(nextToken) }));

export const listWebhooks = (storeId: string): Promise<Webhook[]> =>
  answer(admin.GET(op['webhooks-list'], { params: { path: { storeId } } })).then((a) => a.items);

export const listBlocks = (storeId: string): Promise<Block[]> =>
  answer(admin.GET(op['blocks-list'], { params: { path: { storeId } } })).then((a) => a.items);
