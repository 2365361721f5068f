// Local machines run Node 20 on purpose (Lambda runs a newer one); the SDK's upgrade notice is noise here.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const { startLocalStack } = await import('./local-stack.ts');

const port = Number(process.env.PORT ?? 3000);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`PORT must be a port number, not ${process.env.PORT}`);
  process.exit(2);
}

try {
  const stack = await startLocalStack({
    port,
    dataDir: process.env.DATA_DIR ?? '.local',
    adminToken: process.env.ADMIN_TOKEN || undefined,
    dynamoDbPort: process.env.DYNAMODB_LOCAL_PORT ? Number(process.env.DYNAMODB_LOCAL_PORT) : undefined,
  });
  console.log(
    [
      `sms-mfa local server listening on ${stack.url}`,
      `  admin token: ${stack.adminToken}`,
      `  console:     ${stack.url}/console/#token=${stack.adminToken}`,
      `  data:        ${stack.dataDir}`,
      `  outbox:      ${stack.outboxFile}`,
      `  dynamodb:    ${stack.dynamoDbEndpoint} (table ${stack.tableName})`,
      `  try:         curl -H "Authorization: Bearer ${stack.adminToken}" ${stack.url}/admin/gateways`,
    ].join('\n'),
  );
  const shutdown = (signal: NodeJS.Signals) => {
    console.log(`\n${signal}: stopping`);
    void stack.stop().finally(() => process.exit(0));
  };
  process.removeAllListeners('SIGINT');
  process.removeAllListeners('SIGTERM');
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
} catch (error) {
  console.error(
    `sms-mfa local server failed to start: ${error instanceof Error ? error.message : String(error)}`,
  );
  process.exit(1);
}
