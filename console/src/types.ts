import type { gatewayView } from '../../shared/api/gateway-schemas.ts';
import type { identityStoreView } from '../../shared/api/identity-store-schemas.ts';
import type { GatewayTypeInfo } from '../../shared/domain/gateways/gateway-types.ts';

/** The admin API's representations, typed from the server's own view functions (types only: nothing is bundled). */
export type Gateway = ReturnType<typeof gatewayView> & {
  /** api.md "Additions": where messages go; absent from servers that predate it. */
  effectiveUrl?: string | null;
};
export type GatewayType = GatewayTypeInfo & { enabled?: boolean };
export type IdentityStore = ReturnType<typeof identityStoreView>;

export interface ApiKey {
  id: string;
  name: string;
  createdAt: string;
  lastUsedAt: string | null;
}

export interface NewApiKey {
  id: string;
  name: string;
  key: string;
  createdAt: string;
}

export interface FieldError {
  path: string;
  message: string;
}

/** RFC 9457 problem details as the API answers them, with the extensions the console reads. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
  errors?: FieldError[];
  identityStoreIds?: string[];
}
