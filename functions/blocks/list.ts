import { httpHandler } from '../../shared/http/http-handler.ts';
import { listBlocks } from '../../shared/operations/blocks.ts';
import { blocks } from '../../shared/runtime/wiring/blocks.ts';

export const handler = httpHandler(listBlocks, async ({ params }) => {
  return { body: { items: await blocks().list(params.storeId) } };
});
