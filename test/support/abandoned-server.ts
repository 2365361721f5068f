/**
 * A test process that starts the local server and ends without stopping it, as a failed or timed-out
 * test file does (test/http/process-cleanup.test.ts runs it). It prints the server's process group.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startChildServer } from './child-server.ts';

const server = await startChildServer({ DATA_DIR: await mkdtemp(join(tmpdir(), 'sms-mfa-abandoned-')) });
console.log(JSON.stringify({ pgid: server.process.pid, dynamoDbEndpoint: server.dynamoDbEndpoint }));
process.exit(1);
