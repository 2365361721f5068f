import type { Gateway, GatewayRecord } from '../domain/gateways/gateway.ts';

export interface Page<T> {
  items: T[];
  nextToken?: string;
}

export interface PageRequest {
  limit: number;
  nextToken?: string;
}

export type DefaultChange = 'set' | 'unset' | 'keep';

/**
 * Gateway persistence. Every write is conditional so that name uniqueness, versions, the single
 * default and the "linked gateways cannot be deleted" guard hold under concurrent requests.
 */
export interface GatewayRepository {
  /** Throws Conflict when the name is taken. */
  create(gateway: GatewayRecord, makeDefault: boolean): Promise<void>;
  get(id: string): Promise<Gateway | undefined>;
  list(page: PageRequest): Promise<Page<Gateway>>;
  /** Throws VersionMismatch when the stored version is not `expectedVersion`, NotFound, or Conflict on a taken name. */
  update(next: GatewayRecord, previous: GatewayRecord, defaultChange: DefaultChange): Promise<void>;
  /** Throws GatewayInUse while linked, NotFound, or VersionMismatch when `expectedVersion` is given and differs. */
  delete(id: string, expectedVersion?: number): Promise<void>;
  defaultGatewayId(): Promise<string | undefined>;
}
