/** Everything the runtime reads from its environment, checked once. CDK and local mode set these. */
export interface RuntimeConfig {
  tableName: string;
  /** Local mode and tests: DynamoDB Local. */
  dynamoDbEndpoint: string | undefined;
  secretStore: 'secrets-manager' | 'file';
  secretNamePrefix: string;
  dataDir: string;
  consoleGatewayAllowed: boolean;
  outboxFile: string;
  localMode: boolean;
  /** How long stores, gateways and credentials are cached in a warm process (local mode: 0, apply at once). */
  configCacheSeconds: number;
  /** Per-attempt limit for a provider call. */
  providerTimeoutMs: number;
  /** Deployed: the function that sends number-replacement notices; unset locally (sent in-process). */
  notifierFunctionName: string | undefined;
}

function required(env: NodeJS.ProcessEnv, name: string): string {
  const value = env[name];
  if (!value) throw new Error(`environment variable ${name} is required`);
  return value;
}

export function readConfig(env: NodeJS.ProcessEnv = process.env): RuntimeConfig {
  const secretStore = env.SECRET_STORE ?? 'secrets-manager';
  if (secretStore !== 'secrets-manager' && secretStore !== 'file') {
    throw new Error(`SECRET_STORE must be secrets-manager or file, not ${secretStore}`);
  }
  const dataDir = env.DATA_DIR ?? '/tmp/sms-mfa';
  return {
    tableName: required(env, 'TABLE_NAME'),
    dynamoDbEndpoint: env.DYNAMODB_ENDPOINT || undefined,
    secretStore,
    secretNamePrefix: secretStore === 'secrets-manager' ? required(env, 'SECRET_NAME_PREFIX') : '',
    dataDir,
    consoleGatewayAllowed: env.CONSOLE_GATEWAY_ALLOWED === 'true',
    outboxFile: env.CONSOLE_OUTBOX_FILE ?? `${dataDir}/outbox.jsonl`,
    localMode: env.LOCAL_MODE === 'true',
    notifierFunctionName: env.NOTIFIER_FUNCTION_NAME || undefined,
    providerTimeoutMs: Number(env.PROVIDER_TIMEOUT_MS ?? 5000),
    configCacheSeconds: Number(env.CONFIG_CACHE_SECONDS ?? (env.LOCAL_MODE === 'true' ? 0 : 30)),
  };
}
