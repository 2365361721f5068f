import { httpHandler } from '../../shared/http/http-handler.ts';
import { json } from '../../shared/http/responses.ts';
import { services } from '../../shared/runtime/container.ts';

export const handler = httpHandler({}, async () => {
  const { gateways } = await services();
  return json(200, { items: gateways.types() });
});
