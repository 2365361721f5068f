import { httpHandler } from '../../shared/http/http-handler.ts';
import { json } from '../../shared/http/responses.ts';

export const handler = httpHandler({}, async () => json(200, { status: 'ok' }));
