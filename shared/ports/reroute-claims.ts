/**
 * At most one reroute per original message (api.md "Reroutes are bounded"): a claim is one conditional
 * write; a reroute's own message is claimed too, so that its failure reroutes no further.
 */
export interface RerouteClaims {
  /** True for the first claim of this message only. */
  claim(storeId: string, challengeId: string, gatewayId: string, providerMessageId: string): Promise<boolean>;
}
