/**
 * What follows the deletion of an identity store: removing every item it owns. Locally this runs
 * before the DELETE answers; deployed, the table's stream triggers the sweeper function and the
 * request itself does nothing more.
 */
export interface StoreCleanup {
  storeDeleted(storeId: string): Promise<void>;
}
