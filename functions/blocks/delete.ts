import { httpHandler } from '../../shared/http/http-handler.ts';
import { deleteBlock } from '../../shared/operations/blocks.ts';
import { services } from '../../shared/runtime/container.ts';

export const handler = httpHandler(deleteBlock, async ({ params }) => {
  const { blocks } = await services();
  await blocks.lift(params.storeId, params.kind, params.value);
});
