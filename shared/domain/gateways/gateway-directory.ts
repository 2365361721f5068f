import type { GatewayRepository } from '../../ports/gateway-repository.ts';
import type { SecretStore } from '../../ports/secret-store.ts';
import type { GatewayConnection, GatewayDirectory } from '../sending/sms-delivery.ts';
import type { TtlCache } from '../ttl-cache.ts';
import { gatewaySecretName, type GatewayCredentials, type GatewayRecord } from './gateway.ts';

export async function readGatewayCredentials(
  secrets: SecretStore,
  gateway: GatewayRecord,
): Promise<GatewayCredentials> {
  if (!gateway.hasPassword && !gateway.proxy?.hasPassword) return {};
  const value = await secrets.get(gatewaySecretName(gateway.id));
  const credentials: GatewayCredentials = {};
  if (value?.password) credentials.password = value.password;
  if (value?.proxyPassword) credentials.proxyPassword = value.proxyPassword;
  return credentials;
}

/** Gateways with their credentials for sending, cached briefly; a fresh read replaces the cached one. */
export class CachedGatewayDirectory implements GatewayDirectory {
  constructor(
    private readonly gateways: Pick<GatewayRepository, 'get'>,
    private readonly secrets: SecretStore,
    private readonly cache: TtlCache<GatewayConnection | undefined>,
  ) {}

  connection(gatewayId: string, options: { fresh?: boolean } = {}): Promise<GatewayConnection | undefined> {
    if (options.fresh) this.cache.delete(gatewayId);
    return this.cache.get(gatewayId, async () => {
      const gateway = await this.gateways.get(gatewayId);
      return gateway && { gateway, credentials: await readGatewayCredentials(this.secrets, gateway) };
    });
  }
}
