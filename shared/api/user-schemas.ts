import * as z from 'zod';
import { MAX_USER_ID_CODE_POINTS, userIdProblem } from '../domain/user-id.ts';

/** api.md "userId is opaque": the rule is the domain's (user-id.ts); the bounds are for the OpenAPI document. */
export const userId = z
  .string()
  .min(1)
  // 128 code points are at most 256 UTF-16 units.
  .max(2 * MAX_USER_ID_CODE_POINTS)
  .superRefine((value, context) => {
    const problem = userIdProblem(value);
    if (problem) context.addIssue({ code: 'custom', message: problem });
  });

export const userParams = z.object({ userId });

export const mfaQuery = z.object({
  roles: z
    .string()
    .max(4096)
    .optional()
    .transform((value) =>
      (value ?? '')
        .split(',')
        .map((role) => role.trim())
        .filter(Boolean),
    ),
  identitySource: z.string().min(1).max(128).optional(),
});
