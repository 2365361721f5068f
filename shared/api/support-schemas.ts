import * as z from 'zod';
import { idString, str, timestamp } from './bounds.ts';
import { resourceId, text } from './common.ts';
import { userId } from './user-schemas.ts';

/** api.md "Support desk": a user of an identity store, as the support desk looks it up. */
export const storeUserParams = z.object({ storeId: resourceId, userId });

export const resetFactorBody = z.strictObject({
  reason: text(500).meta({ description: 'Why the factor is reset (kept in the audit record)' }),
});

export const storeUserSchema = z
  .strictObject({
    userId: str(512),
    userRef: str(16).meta({
      description: 'The reference log lines carry for this user instead of its userId',
    }),
    factor: z
      .strictObject({
        status: z.enum(['pending', 'active']),
        maskedPhone: str(32),
        verifiedAt: timestamp.optional(),
        lastUsedAt: timestamp.optional(),
        lockedUntil: timestamp.optional().meta({ description: 'Only while the 15-minute lock runs' }),
      })
      .nullable(),
    hasLastVerifiedNumber: z.boolean(),
    recentChallenges: z
      .array(
        z.strictObject({
          id: idString,
          purpose: z.enum(['enroll', 'authenticate', 'verify-phone']),
          status: z.enum(['pending', 'approved', 'failed', 'expired', 'closed']),
          maskedPhone: str(32),
          createdAt: timestamp,
        }),
      )
      .max(20)
      .meta({ description: "The user's 20 most recent challenges still kept, newest first" }),
  })
  .meta({ id: 'StoreUser' });
