/** Entry point: `npm run console -- --url <ApiUrl> [--region <region>] [--port <port>]`. */
import { parseArgs } from 'node:util';
import { startConsoleProxy } from './console-proxy.ts';
import { resolveTarget } from './transport.ts';

const USAGE = `Usage: npm run console -- --url <ApiUrl> [--region <region>] [--port <port>]

Serves the admin console on 127.0.0.1 for a deployed stack and signs its admin calls with SigV4,
using the default AWS credential chain (environment, profile, SSO, instance role).
  --url     the stack's ApiUrl output (required)
  --region  the API's region (default: from an execute-api host name, else AWS_REGION)
  --port    the local port (default: any free port)
`;

function fail(message: string): never {
  process.stderr.write(`${message}\n\n${USAGE}`);
  process.exit(2);
}

let values: { url?: string; region?: string; port?: string; help?: boolean };
try {
  ({ values } = parseArgs({
    options: {
      url: { type: 'string' },
      region: { type: 'string' },
      port: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  }));
} catch (error) {
  fail(error instanceof Error ? error.message : String(error));
}
if (values.help) {
  process.stdout.write(USAGE);
  process.exit(0);
}
if (!values.url) fail('--url is required');
const port = Number(values.port ?? 0);
if (!Number.isInteger(port) || port < 0 || port > 65535)
  fail(`--port must be a port number, not ${values.port}`);

let target;
try {
  target = await resolveTarget({ url: values.url, region: values.region, sigv4: true }, process.env);
} catch (error) {
  fail(error instanceof Error ? error.message : String(error));
}
const proxy = await startConsoleProxy({ target, port, log: (line) => console.log(line) });
console.log(
  `sms-mfa console for ${target.baseUrl.href} (admin calls signed with SigV4, region ${target.auth.kind === 'sigv4' ? target.auth.region : ''})`,
);
console.log(`  open: ${proxy.signInUrl}`);
const stop = () => void proxy.close().finally(() => process.exit(0));
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
