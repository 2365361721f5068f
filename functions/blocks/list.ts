import { httpHandler } from '../../shared/http/http-handler.ts';
import { listBlocks } from '../../shared/operations/blocks.ts';
import { services } from '../../shared/runtime/container.ts';

export const handler = httpHandler(listBlocks, async ({ params }) => {
  const { blocks } = await services();
  return { body: { items: await blocks.list(params.storeId) } };
});
