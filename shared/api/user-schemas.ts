import * as z from 'zod';

/** api.md: the client app's own user id, 1..128 characters, no `/`. */
export const userId = z
  .string()
  .min(1)
  // 128 characters are at most 256 UTF-16 units; the refinement below counts characters.
  .max(256)
  // Characters, not UTF-16 units: an emoji is one character of the 128.
  .refine((value) => [...value].length <= 128, 'must be at most 128 characters')
  .refine((value) => !value.includes('/'), 'must not contain /')
  .refine((value) => !/\p{Cc}/u.test(value), 'must not contain control characters');

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
