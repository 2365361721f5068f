/** Everything the table holds for one identity store, as the sweep of a deleted store sees it. */
export interface StoreItems {
  /** The ids of the store's integrations still in the table (their secrets live outside it). */
  integrationIds(storeId: string): Promise<string[]>;
  /** Deletes every item the store owns; the number deleted. Deleting what is gone is harmless. */
  sweep(storeId: string): Promise<number>;
}

/** Runs the sweep of a deleted store once more, after the writes that were in flight when it was deleted. */
export interface SweepAgain {
  schedule(storeId: string, afterSeconds: number): Promise<void>;
}
