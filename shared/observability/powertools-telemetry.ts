import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Telemetry } from '../ports/telemetry.ts';
import { logger, metrics } from './powertools.ts';

/**
 * EMF metrics through the shared Powertools instance (namespace SmsMfa, dimension `service`). A
 * dimensioned count is emitted twice: with its dimensions (for the dashboard's breakdowns) and as a
 * service-wide total (what the alarms watch, whatever the gateway type, reason or purpose).
 */
export const powertoolsTelemetry: Telemetry = {
  count(metric, dimensions, amount = 1) {
    metrics.addMetric(metric, MetricUnit.Count, amount);
    if (!dimensions) return;
    const single = metrics.singleMetric();
    for (const [name, value] of Object.entries(dimensions)) single.addDimension(name, value);
    single.addMetric(metric, MetricUnit.Count, amount);
  },
  timing(metric, milliseconds, dimensions) {
    const single = metrics.singleMetric();
    for (const [name, value] of Object.entries(dimensions ?? {})) single.addDimension(name, value);
    single.addMetric(metric, MetricUnit.Milliseconds, milliseconds);
  },
  percent(metric, value, dimensions) {
    // Service-wide (the alarm watches its maximum) and with its dimensions (the dashboard).
    metrics.addMetric(metric, MetricUnit.Percent, value);
    const single = metrics.singleMetric();
    for (const [name, dimension] of Object.entries(dimensions ?? {})) single.addDimension(name, dimension);
    single.addMetric(metric, MetricUnit.Percent, value);
  },
  warn(message, fields) {
    logger.warn(message, fields);
  },
};
