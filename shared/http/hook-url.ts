import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import type { RuntimeConfig } from '../runtime/config.ts';

/**
 * The base of an integration's `hookUrl`: `PUBLIC_URL` locally, `HOOK_BASE_URL` deployed (CDK sets it
 * from the `publicUrl` context or the edge domain), else the address this request reached.
 */
export function hookBaseUrl(config: RuntimeConfig, event: APIGatewayProxyEventV2): string {
  if (config.publicUrl) return config.publicUrl;
  if (config.hookBaseUrl) return config.hookBaseUrl;
  const scheme = config.localMode ? 'http' : 'https';
  return `${scheme}://${event.requestContext.domainName}`;
}
