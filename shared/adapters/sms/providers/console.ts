import { defineProvider } from './define-provider.ts';

/** Local development: the message goes to the outbox file (`console-sender.ts`, built by the container). */
export const consoleOutbox = defineProvider('console', { transport: { kind: 'outbox' } });
