import { resetFactorBody, storeUserParams, storeUserSchema } from '../api/support-schemas.ts';
import { defineOperation } from './operation.ts';

/** api.md "Support desk": one user of an identity store, and the admin's two buttons. */
const USER = '/admin/identity-stores/{storeId}/users/{userId}';

export const getStoreUser = defineOperation({
  id: 'store-users-get',
  method: 'GET',
  path: USER,
  auth: 'admin',
  // The store (404), the factor, the user's challenges (gsi1) and the key pepper (its userRef).
  access: ['config:read', 'support:read', 'pepper:read'],
  summary: "A user's SMS factor, lock and recent challenges",
  params: storeUserParams,
  status: 200,
  response: storeUserSchema,
  problems: ['not-found'],
});

export const resetStoreUserFactor = defineOperation({
  id: 'store-users-reset-factor',
  method: 'POST',
  path: `${USER}/sms-factor/reset`,
  auth: 'admin',
  // Closes the user's challenges and has the removed number told (the notifier function sends it).
  // The key pepper, here and in the unlock: the userRef of the request's log lines.
  access: ['config:read', 'support:write', 'notifier:invoke', 'events:publish', 'pepper:read'],
  summary: 'Reset a lost phone: remove the SMS factor and the remembered number, close live codes',
  params: storeUserParams,
  body: resetFactorBody,
  status: 204,
  problems: ['not-found', 'conflict'],
});

export const unlockStoreUser = defineOperation({
  id: 'store-users-unlock',
  method: 'POST',
  path: `${USER}/unlock`,
  auth: 'admin',
  access: ['config:read', 'support:write', 'events:publish', 'pepper:read'],
  summary: "End a user's 15-minute lock and reset the consecutive-failure count",
  params: storeUserParams,
  status: 204,
  problems: ['not-found'],
});
