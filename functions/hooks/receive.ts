import { hookHttpHandler } from '../../shared/http/hook-handler.ts';

export const handler = hookHttpHandler();
