import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { createDocumentClient } from '../adapters/dynamodb/document-client.ts';
import { ApiKeyTable } from '../adapters/dynamodb/api-key-table.ts';
import { GatewayTable } from '../adapters/dynamodb/gateway-table.ts';
import { IdentityStoreTable } from '../adapters/dynamodb/identity-store-table.ts';
import { EncryptedFileStore } from '../adapters/secrets/encrypted-file-store.ts';
import { SecretsManagerStore } from '../adapters/secrets/secrets-manager-store.ts';
import { ConsoleSender } from '../adapters/sms/console-sender.ts';
import { ApiKeyService } from '../domain/api-keys/api-key-service.ts';
import { GatewayService } from '../domain/gateways/gateway-service.ts';
import { IdentityStoreService } from '../domain/identity-stores/identity-store-service.ts';
import { MfaService, type FactorLookup } from '../domain/mfa/mfa-service.ts';
import type { GatewayType } from '../domain/gateways/gateway-types.ts';
import { systemClock, type Clock } from '../ports/clock.ts';
import { cryptoRandom, type Random } from '../ports/random.ts';
import type { SecretStore } from '../ports/secret-store.ts';
import type { SmsSender, SmsSenders } from '../ports/sms-sender.ts';
import { readConfig, type RuntimeConfig } from './config.ts';

/** The composition root: adapters are chosen here, from configuration, and nowhere else. */
export interface Services {
  config: RuntimeConfig;
  gateways: GatewayService;
  identityStores: IdentityStoreService;
  apiKeys: ApiKeyService;
  mfa: MfaService;
}

export interface Overrides {
  clock?: Clock;
  random?: Random;
  secrets?: SecretStore;
  senders?: SmsSenders;
}

export async function buildServices(config: RuntimeConfig, overrides: Overrides = {}): Promise<Services> {
  const clock = overrides.clock ?? systemClock;
  const random = overrides.random ?? cryptoRandom;
  const documents = createDocumentClient(
    config.dynamoDbEndpoint ? { endpoint: config.dynamoDbEndpoint } : {},
  );
  const secrets =
    overrides.secrets ??
    (config.secretStore === 'file'
      ? await EncryptedFileStore.open(config.dataDir)
      : new SecretsManagerStore(new SecretsManagerClient({}), config.secretNamePrefix));
  const senders = overrides.senders ?? defaultSenders(config, clock, random);
  const gatewayTable = new GatewayTable(documents, config.tableName);
  const storeTable = new IdentityStoreTable(documents, config.tableName);
  const apiKeys = new ApiKeyService({
    keys: new ApiKeyTable(documents, config.tableName),
    stores: storeTable,
    clock,
    random,
  });
  return {
    config,
    identityStores: new IdentityStoreService({
      stores: storeTable,
      gateways: gatewayTable,
      keys: apiKeys,
      clock,
      random,
    }),
    apiKeys,
    mfa: new MfaService({ stores: storeTable, factors: noFactorsYet }),
    gateways: new GatewayService({
      gateways: gatewayTable,
      secrets,
      senders,
      clock,
      random,
      consoleGatewayAllowed: config.consoleGatewayAllowed,
      urlPolicy: { allowLoopbackHttp: config.localMode },
    }),
  };
}

/** Enrollment is not built yet: every user has no SMS factor. */
const noFactorsYet: FactorLookup = { summary: async () => ({ status: 'none' }) };

function defaultSenders(config: RuntimeConfig, clock: Clock, random: Random): SmsSenders {
  const print = config.localMode ? (line: string) => console.log(`[outbox] ${line}`) : undefined;
  const byType: Partial<Record<GatewayType, SmsSender>> = {
    console: new ConsoleSender(config.outboxFile, clock, random, print),
  };
  return { forType: (type) => byType[type] };
}

let current: Promise<Services> | undefined;

/** Built on first use, then kept for the life of the warm Lambda (or the local server). */
export function services(): Promise<Services> {
  current ??= buildServices(readConfig()).catch((error: unknown) => {
    current = undefined;
    throw error;
  });
  return current;
}

/** Tests swap in services built with injected clocks, randomness or fakes. */
export function useServices(replacement: Promise<Services> | undefined): void {
  current = replacement;
}
