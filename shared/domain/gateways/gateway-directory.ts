import type { GatewayRepository } from '../../ports/gateway-repository.ts';
import type { SecretReadOptions, SecretStore } from '../../ports/secret-store.ts';
import type { GatewayConnection, GatewayDirectory } from '../sending/sms-delivery.ts';
import type { TtlCache } from '../ttl-cache.ts';
import { gatewaySecretName, type GatewayCredentials, type GatewayRecord } from './gateway.ts';

export async function readGatewayCredentials(
  secrets: SecretStore,
  gateway: GatewayRecord,
  options?: SecretReadOptions,
): Promise<GatewayCredentials> {
  if (!gateway.hasPassword && !gateway.proxy?.hasPassword && !gateway.hasCallbackSecret) return {};
  const value = await secrets.get(gatewaySecretName(gateway.id), options);
  const credentials: GatewayCredentials = {};
  if (value?.password) credentials.password = value.password;
  if (value?.proxyPassword) credentials.proxyPassword = value.proxyPassword;
  if (value?.callbackSecret) credentials.callbackSecret = value.callbackSecret;
  return credentials;
}

/**
 * Gateways with their credentials for sending, both cached briefly: the record here, the credentials
 * by the secret store (deployed: Powertools' SecretsProvider, `maxAge`). A fresh read (after a
 * provider refused the credentials) bypasses both (`forceFetch`).
 */
export class CachedGatewayDirectory implements GatewayDirectory {
  constructor(
    private readonly gateways: Pick<GatewayRepository, 'get'>,
    private readonly secrets: SecretStore,
    private readonly cache: TtlCache<GatewayRecord | undefined>,
    private readonly maxAgeSeconds: number,
  ) {}

  async connection(
    gatewayId: string,
    options: { fresh?: boolean } = {},
  ): Promise<GatewayConnection | undefined> {
    if (options.fresh) this.cache.delete(gatewayId);
    const gateway = await this.gateway(gatewayId);
    if (!gateway) return undefined;
    const credentials = await readGatewayCredentials(this.secrets, gateway, {
      maxAgeSeconds: this.maxAgeSeconds,
      fresh: options.fresh === true,
    });
    return { gateway, credentials };
  }

  gateway(gatewayId: string): Promise<GatewayRecord | undefined> {
    return this.cache.get(gatewayId, () => this.gateways.get(gatewayId));
  }
}
