import { Logger } from '@aws-lambda-powertools/logger';
import { search } from '@aws-lambda-powertools/logger/correlationId';
import { Metrics } from '@aws-lambda-powertools/metrics';

/**
 * One instance of each per process, shared by every handler (the Powertools example app's shape). The
 * tracer is in tracer.ts: the admin routes do without it.
 */
export const serviceName = process.env.POWERTOOLS_SERVICE_NAME ?? 'sms-mfa';

export const logger = new Logger({ serviceName, correlationIdSearchFn: search });

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
