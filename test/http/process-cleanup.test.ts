import { execFile } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { LOCAL_TABLE_NAME, PROJECT_ROOT } from '../../local/local-stack.ts';
import { startChildServer } from '../support/child-server.ts';
import { groupMembers } from '../support/process-group.ts';

const run = promisify(execFile);

async function reachable(url: string): Promise<boolean> {
  try {
    await fetch(url);
    return true;
  } catch {
    return false;
  }
}

/** Waits up to `ms` for the group to empty; its members then (none when it did). */
async function groupAfter(pgid: number, ms: number): Promise<number[]> {
  const deadline = Date.now() + ms;
  while (groupMembers(pgid).length > 0 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return groupMembers(pgid);
}

describe('the processes tests start (npm test leaves nothing behind)', { timeout: 180_000 }, () => {
  it('npm start prints its DynamoDB Local endpoint and table; stopping it ends tsx, the server and Java', async () => {
    const server = await startChildServer({ DATA_DIR: await mkdtemp(join(tmpdir(), 'sms-mfa-print-')) });
    const pgid = server.process.pid!;
    try {
      const printed = /dynamodb:\s+(http:\/\/127\.0\.0\.1:\d+) \(table (\S+)\)/.exec(server.output());
      expect(printed, server.output()).not.toBeNull();
      const [, endpoint, table] = printed as unknown as [string, string, string];
      expect(endpoint).toBe(server.dynamoDbEndpoint);
      expect(table).toBe(LOCAL_TABLE_NAME);
      // The printed endpoint is the DynamoDB Local that holds the printed table.
      const client = new DynamoDBClient({
        endpoint,
        region: 'us-east-1',
        credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      });
      expect((await client.send(new ListTablesCommand({}))).TableNames).toContain(table);
      client.destroy();
      // tsx, the server it runs and DynamoDB Local's JVM.
      expect(groupMembers(pgid).length).toBeGreaterThanOrEqual(3);
    } finally {
      await server.stop();
    }
    expect(groupMembers(pgid)).toEqual([]);
    expect(await reachable(server.dynamoDbEndpoint)).toBe(false);
  });

  it('a test process that ends without stopping its server takes the server and Java with it', async () => {
    const { stdout } = await run(
      join(PROJECT_ROOT, 'node_modules/.bin/tsx'),
      ['test/support/abandoned-server.ts'],
      { cwd: PROJECT_ROOT, timeout: 120_000 },
    ).catch((error: { code?: number; stdout?: string }) => {
      // It exits 1 on purpose, right after printing.
      if (error.code === 1 && error.stdout) return { stdout: error.stdout };
      throw error;
    });
    const { pgid, dynamoDbEndpoint } = JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as {
      pgid: number;
      dynamoDbEndpoint: string;
    };
    expect(pgid).toBeGreaterThan(0);
    expect(await groupAfter(pgid, 10_000)).toEqual([]);
    expect(await reachable(dynamoDbEndpoint)).toBe(false);
  });
});
