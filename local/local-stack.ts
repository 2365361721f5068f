import { randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import type { Server } from 'node:http';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startDynamoDbLocal, type DynamoDbLocal } from './dynamodb-local.ts';
import { preparePrivateDataDir } from './private-data-dir.ts';

export const PROJECT_ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));
export const LOCAL_TABLE_NAME = 'sms-mfa-local';

export interface LocalStackOptions {
  port: number;
  dataDir: string;
  adminToken?: string;
  /** Use a running DynamoDB (tests share one) instead of spawning DynamoDB Local. */
  dynamoDbEndpoint?: string;
  /** Port for the spawned DynamoDB Local; a free one when omitted. */
  dynamoDbPort?: number;
  tableName?: string;
}

export interface LocalStack {
  url: string;
  adminToken: string;
  dataDir: string;
  outboxFile: string;
  tableName: string;
  dynamoDbEndpoint: string;
  stop(): Promise<void>;
}

async function adminTokenFor(dataDir: string, configured: string | undefined): Promise<string> {
  if (configured) return configured;
  const file = join(dataDir, 'admin-token');
  try {
    return (await readFile(file, 'utf8')).trim();
  } catch {
    const token = randomBytes(24).toString('base64url');
    await writeFile(file, `${token}\n`, { mode: 0o600, flag: 'wx' }).catch(async () => undefined);
    return (await readFile(file, 'utf8')).trim();
  }
}

/**
 * `npm start` without the printing: DynamoDB Local with the table, the environment the handlers read,
 * the default console gateway on a fresh store, and the HTTP server on 127.0.0.1.
 */
export async function startLocalStack(options: LocalStackOptions): Promise<LocalStack> {
  const dataDir = resolve(options.dataDir);
  await preparePrivateDataDir(dataDir);
  const adminToken = await adminTokenFor(dataDir, options.adminToken);
  const tableName = options.tableName ?? LOCAL_TABLE_NAME;

  let dynamo: DynamoDbLocal | undefined;
  const endpoint =
    options.dynamoDbEndpoint ??
    (dynamo = await startDynamoDbLocal({ dbPath: join(dataDir, 'dynamodb'), port: options.dynamoDbPort }))
      .endpoint;
  const outboxFile = join(dataDir, 'outbox.jsonl');

  // The handlers read their configuration from the environment exactly as in Lambda.
  Object.assign(process.env, {
    TABLE_NAME: tableName,
    DYNAMODB_ENDPOINT: endpoint,
    AWS_REGION: process.env.AWS_REGION ?? 'us-east-1',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_EC2_METADATA_DISABLED: 'true',
    SECRET_STORE: 'file',
    DATA_DIR: dataDir,
    CONSOLE_OUTBOX_FILE: outboxFile,
    CONSOLE_GATEWAY_ALLOWED: 'true',
    LOCAL_MODE: 'true',
    POWERTOOLS_TRACE_ENABLED: 'false',
    POWERTOOLS_METRICS_DISABLED: process.env.POWERTOOLS_METRICS_DISABLED ?? 'true',
  });

  try {
    // Every handler of this process answers from the local context (providers, in-process webhooks).
    (await import('./local-context.ts')).useLocalContext();
    const { prepareLocalData } = await import('./local-data.ts');
    await prepareLocalData(endpoint, tableName);
    const { createLocalServer } = await import('./server.ts');
    const server = await createLocalServer({ projectRoot: PROJECT_ROOT, adminToken });
    await new Promise<void>((ok, fail) => {
      server.once('error', fail);
      server.listen(options.port, '127.0.0.1', () => ok());
    });
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : options.port;
    return {
      url: `http://127.0.0.1:${port}`,
      adminToken,
      dataDir,
      outboxFile,
      tableName,
      dynamoDbEndpoint: endpoint,
      stop: async () => {
        await close(server);
        dynamo?.stop();
      },
    };
  } catch (error) {
    dynamo?.stop();
    throw error;
  }
}

function close(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((ok) => server.close(() => ok()));
}
