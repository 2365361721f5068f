import { adminHttpHandler } from '../../shared/http/admin-http-handler.ts';
import { listBlocks } from '../../shared/operations/blocks.ts';
import { blocks } from '../../shared/runtime/wiring/blocks.ts';

export const handler = adminHttpHandler(listBlocks, async ({ params }) => {
  return { body: { items: await blocks().list(params.storeId) } };
});
