import { apiKeyAuthorizer, routes } from '../shared/routes.ts';

/**
 * The functions a sign-in waits on when they start cold: the API key authorizer, every `/v1` route
 * that sends a code, and verify. Issue 16 holds their init to a tighter target than the rest, the
 * bench reports them apart, and they get more memory (hence more CPU) than the admin functions.
 */
export const HOT_PATH_IDS: readonly string[] = [
  apiKeyAuthorizer.id,
  ...routes.filter((r) => r.path.startsWith('/v1/') && r.access.includes('sms:send')).map((r) => r.id),
  'challenges-verify',
];

/**
 * Lambda allots CPU in proportion to memory (one vCPU at 1,769 MB), and module init is CPU-bound:
 * README "Performance" derives both sizes from the bench's CPU time and resident memory per function.
 */
export const MEMORY_MB = { hotPath: 1024, other: 256 } as const;

export const memorySizeFor = (functionId: string): number =>
  HOT_PATH_IDS.includes(functionId) ? MEMORY_MB.hotPath : MEMORY_MB.other;
