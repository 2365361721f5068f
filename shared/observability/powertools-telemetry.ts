import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Telemetry } from '../ports/telemetry.ts';
import { logger, metrics } from './powertools.ts';

/** EMF metrics through the shared Powertools instance; dimensioned metrics go out as single metrics. */
export const powertoolsTelemetry: Telemetry = {
  count(metric, dimensions) {
    if (!dimensions) return void metrics.addMetric(metric, MetricUnit.Count, 1);
    const single = metrics.singleMetric();
    for (const [name, value] of Object.entries(dimensions)) single.addDimension(name, value);
    single.addMetric(metric, MetricUnit.Count, 1);
  },
  timing(metric, milliseconds, dimensions) {
    const single = metrics.singleMetric();
    for (const [name, value] of Object.entries(dimensions ?? {})) single.addDimension(name, value);
    single.addMetric(metric, MetricUnit.Milliseconds, milliseconds);
  },
  warn(message, fields) {
    logger.warn(message, fields);
  },
};
