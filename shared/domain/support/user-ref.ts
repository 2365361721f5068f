import { createHmac } from 'node:crypto';

/**
 * api.md "User ids in logs": how log lines and the support page name a user without its `userId`. The
 * key pepper keys it (stable across code-pepper rotations), so a reference cannot be turned back into an
 * id by anyone without the secret.
 */
export function userRef(keys: Buffer, storeId: string, userId: string): string {
  return createHmac('sha256', keys).update(`${storeId}.${userId}`).digest('hex').slice(0, 16);
}
