/**
 * What the service has measured about each (store, country, gateway): the facts adaptive routing
 * (issue 26, api.md "Routing") and bounded deadline reroutes are decided on. Never written on the send
 * path: deployed the table's stream feeds sharded counters, locally in-process updates; readers get a
 * snapshot at most 60 s old. Test numbers, relayed codes and test connections are never counted.
 */
export interface GatewayCountryStats {
  /** ISO 3166 alpha-2 of the numbers the messages went to. */
  country: string;
  gatewayId: string;
  /** Messages the gateway accepted within the window, every purpose (those awaiting a receipt included). */
  accepted: number;
  /** Of those, the ones with a `delivered` receipt. */
  delivered: number;
  /** Of those, the ones with a `failed` or `undelivered` receipt. */
  failed: number;
  /** Messages accepted for challenges whose purpose is in the asked `learnFrom`. */
  learnAccepted: number;
  /** Approvals credited to the gateway (it accepted the message whose code verified), `learnFrom` purposes only. */
  learnApproved: number;
}

export interface DeliveryStatsSnapshot {
  /** Epoch ms the counts were read at. */
  asOf: number;
  items: GatewayCountryStats[];
}

export interface DeliveryStatsQuery {
  windowHours: number;
  learnFrom: readonly string[];
  now: number;
}

export interface DeliveryStats {
  /** The store's counts over the last `windowHours`; served from a per-instance snapshot at most 60 s old. */
  snapshot(storeId: string, query: DeliveryStatsQuery): Promise<DeliveryStatsSnapshot>;
}
