import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { App, RemovalPolicy, Stack, type Environment } from 'aws-cdk-lib';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { addNagChecks } from '../../cdk/app.ts';
import { ServiceKeys } from '../../cdk/constructs/keys.ts';
import { ServiceTable } from '../../cdk/constructs/table.ts';
import { PROJECT_ROOT } from '../../cdk/sms-mfa-stack.ts';

/**
 * A stack with what every construct of the service stands beside (its keys, table and pepper secret), in a
 * temporary cdk.out: the base of each construct test. `remove()` deletes the folder (call it in afterAll).
 */
export function constructStack(
  name: string,
  options: { stage?: string; env?: Environment; nag?: boolean } = {},
) {
  const outdir = mkdtempSync(path.join(tmpdir(), `sms-mfa-${name.toLowerCase()}-cdk-`));
  const app = new App({ outdir });
  if (options.nag) addNagChecks(app);
  const stack = new Stack(app, name, options.env ? { env: options.env } : {});
  const stage = options.stage ?? 'ci';
  const keys = new ServiceKeys(stack, 'Keys', { stage, removalPolicy: RemovalPolicy.DESTROY });
  const table = new ServiceTable(stack, 'Data', {
    removalPolicy: RemovalPolicy.DESTROY,
    deletionProtection: false,
    encryptionKey: keys.data,
  });
  const pepperSecret = new Secret(stack, 'Pepper');
  // What the service's functions are built with, as the stack builds them.
  const functionProps = {
    stage,
    projectRoot: PROJECT_ROOT,
    environment: { TABLE_NAME: table.table.tableName },
    logRetention: RetentionDays.ONE_MONTH,
    logRemovalPolicy: RemovalPolicy.DESTROY,
    logEncryptionKey: keys.logs,
  };
  const accessTargets = { table: table.table, secretNamePrefix: `sms-mfa/${stage}/`, pepperSecret, keys };
  const remove = () => rmSync(outdir, { recursive: true, force: true });
  return { app, stack, keys, table: table.table, pepperSecret, functionProps, accessTargets, remove };
}
