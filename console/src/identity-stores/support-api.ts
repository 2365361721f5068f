import type { components } from '../../../client/src/index.ts';
import { admin, answer, op } from '../api.ts';

/** The support desk's routes (api.md "Support desk") through the typed client. */
export type SupportUser = components['schemas']['StoreUser'];

/** A webhook's delivery of one event (api.md "Support desk"), as openapi.json documents it. */
export type Delivery = components['schemas']['WebhookDelivery'];

export const getUser = (storeId: string, userId: string) =>
  answer(admin.GET(op['store-users-get'], { params: { path: { storeId, userId } } }));

export const resetSmsFactor = (storeId: string, userId: string, reason: string) =>
  answer(
    admin.POST(op['store-users-reset-factor'], { params: { path: { storeId, userId } }, body: { reason } }),
  );

export const unlockUser = (storeId: string, userId: string) =>
  answer(admin.POST(op['store-users-unlock'], { params: { path: { storeId, userId } } }));

export const listDeliveries = (storeId: string, webhookId: string) =>
  answer(
    admin.GET(op['webhook-deliveries-list'], {
      params: { path: { storeId, webhookId }, query: { limit: 50 } },
    }),
  ).then((answered) => answered.items);

export const retryDelivery = (storeId: string, webhookId: string, deliveryId: string) =>
  answer(
    admin.POST(op['webhook-deliveries-retry'], { params: { path: { storeId, webhookId, deliveryId } } }),
  );
