import { adminHttpHandler } from '../../shared/http/admin-http-handler.ts';
import { deleteBlock } from '../../shared/operations/blocks.ts';
import { blocks } from '../../shared/runtime/wiring/blocks.ts';

export const handler = adminHttpHandler(deleteBlock, async ({ params }) => {
  await blocks().lift(params.storeId, params.kind, params.value);
});
