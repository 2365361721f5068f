import { HOT_PATH_IDS } from '../cdk/cold-start.ts';

/** Issue 16's cold-start targets for the median module init, by this bench's method. */
export const INIT_TARGET_MS = { hotPath: 120, other: 200 } as const;

/** `sms-mfa-<stage>-<id>` is on the hot path (cdk/cold-start.ts). */
export const isHotPath = (functionName: string) => HOT_PATH_IDS.some((id) => functionName.endsWith(`-${id}`));
