import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';

/**
 * One instance of each per process, shared by every handler (the Powertools example app's shape). The
 * tracer is in tracer.ts: the admin routes do without it.
 */
export const serviceName = process.env.POWERTOOLS_SERVICE_NAME ?? 'sms-mfa';

/** Powertools' `correlationPaths.API_GATEWAY_HTTP`, without loading that module (it loads the search). */
export const HTTP_API_CORRELATION_PATH = 'requestContext.requestId';

/**
 * The one correlation id path the service uses is a plain field path (`requestContext.requestId`, the
 * HTTP pipeline's): it is read by walking the fields, not through Powertools' JMESPath search, whose
 * engine would be about 23 KiB of every bundle. Missing or not an object on the way: no id, as the
 * search answers null.
 */
export function fieldPath(expression: string, data: unknown): unknown {
  let value = data;
  for (const field of expression.split('.')) {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return null;
    value = (value as Record<string, unknown>)[field] ?? null;
  }
  return value;
}

export const logger = new Logger({ serviceName, correlationIdSearchFn: fieldPath });

export const metrics = new Metrics({
  serviceName,
  namespace: process.env.POWERTOOLS_METRICS_NAMESPACE ?? 'SmsMfa',
  // Admin routes emit no business metrics; an invocation without any is normal, not a warning.
  logger: {
    debug: (...args: unknown[]) => logger.debug(String(args[0])),
    info: (...args: unknown[]) => logger.info(String(args[0])),
    error: (...args: unknown[]) => logger.error(String(args[0])),
    warn: (...args: unknown[]) => {
      const message = String(args[0]);
      if (message.startsWith('No application metrics to publish')) logger.debug(message);
      else logger.warn(message);
    },
  },
});
