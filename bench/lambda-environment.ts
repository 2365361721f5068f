/**
 * What the Lambda runtime adds to a function's own environment, so that a bundle initialises in the
 * bench as it does deployed: Powertools sees a Lambda execution environment (the tracer is on, as with
 * `Tracing.ACTIVE`, and loads the X-Ray SDK), and the SDK finds credentials without a metadata lookup.
 * X-Ray segments go to `xrayDaemon`, a port on 127.0.0.1, never to the link-local daemon address.
 */
export function lambdaEnvironment(
  functionName: string,
  memoryMiB: number,
  xrayDaemon = '127.0.0.1:2000',
): Record<string, string> {
  return {
    AWS_REGION: 'us-east-1',
    AWS_DEFAULT_REGION: 'us-east-1',
    AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs24.x',
    AWS_LAMBDA_FUNCTION_NAME: functionName,
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(memoryMiB),
    AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/${functionName}`,
    AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
    LAMBDA_TASK_ROOT: '/var/task',
    _HANDLER: 'index.handler',
    AWS_ACCESS_KEY_ID: 'ASIABENCHBENCHBENCH0',
    AWS_SECRET_ACCESS_KEY: 'bench',
    AWS_SESSION_TOKEN: 'bench',
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_XRAY_CONTEXT_MISSING: 'LOG_ERROR',
    AWS_XRAY_DAEMON_ADDRESS: xrayDaemon,
    // Lambda runs a newer Node than this machine; the SDK's upgrade notice is not part of a cold start.
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  };
}
