import { httpHandler } from '../../shared/http/http-handler.ts';
import { health } from '../../shared/operations/service.ts';

export const handler = httpHandler(health, async () => ({ body: { status: 'ok' as const } }));
