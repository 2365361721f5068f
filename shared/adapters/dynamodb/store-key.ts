import { STORE_PARTITION } from './key-prefixes.ts';

/** An identity store's item key, apart from the store table so that conditional writes can check it. */
export const storeKey = (id: string) => ({ pk: STORE_PARTITION, sk: `${STORE_PARTITION}#${id}` });
