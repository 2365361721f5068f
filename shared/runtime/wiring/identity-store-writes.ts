import { feature } from '../context.ts';
import { pepper } from './config-reads.ts';
import { identityStoreService } from './identity-stores.ts';

/*
 * Apart from identity-stores.ts: the number lists' rules are a dynamic import, and a module holding one
 * gives every function that imports it the rules' chunk (libphonenumber's metadata), used or not.
 */

/**
 * The number lists' rules, imported on the first store write: bundled, they are a chunk of their own
 * (libphonenumber's metadata, 190 KiB) that a cold start does not read or compile.
 */
const numberListRules = async () =>
  (await import('../../domain/identity-stores/number-list-rules.ts')).NUMBER_LIST_RULES;

/** `POST /admin/identity-stores` and `PATCH .../{storeId}`: the number lists are validated and keyed. */
export const identityStoreWrites = /* @__PURE__ */ feature('identity store writes', (ctx) =>
  identityStoreService(ctx, { numberLists: numberListRules, pepper: pepper(ctx) }),
);
