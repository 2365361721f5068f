import { openApiDocument } from '../../shared/api/openapi.ts';
import { httpHandler } from '../../shared/http/http-handler.ts';
import { json } from '../../shared/http/responses.ts';

let document: ReturnType<typeof openApiDocument> | undefined;

/** Built on the first request, not at import: cold starts of this function stay cheap. */
export const handler = httpHandler({}, async () => {
  document ??= openApiDocument();
  return json(200, document, { 'cache-control': 'public, max-age=300' });
});
