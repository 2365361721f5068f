import { openApiDocument } from '../../shared/api/openapi.ts';
import { httpHandler } from '../../shared/http/http-handler.ts';
import { openapi } from '../../shared/operations/service.ts';

let document: ReturnType<typeof openApiDocument> | undefined;

/** Built on the first request, not at import: cold starts of this function stay cheap. */
export const handler = httpHandler(openapi, async () => {
  document ??= openApiDocument();
  return { body: document, headers: { 'cache-control': 'public, max-age=300' } };
});
