import { ComparisonOperator, MathExpression } from 'aws-cdk-lib/aws-cloudwatch';
import type { AlarmSink } from './alarm-sink.ts';
import { PERIOD, serviceCount } from './monitoring-metrics.ts';

/** Reroutes per code sent (5 minutes) above which the reroute-rate alarm fires. */
export const REROUTE_RATE_ALARM_PERCENT = 10;
/** The reroute rate is only judged with at least this many codes sent in the period. */
export const MIN_SENDS_FOR_REROUTE_RATE = 20;

/**
 * api.md "Reroutes are bounded": metric `Rerouted` (counted by each reroute, RerouteCode) with an alarm
 * on its rate. Many reroutes mean a gateway that accepts messages and does not deliver them.
 */
export function rerouteAlarms(sink: AlarmSink): void {
  const rate = new MathExpression({
    expression: `IF(sent >= ${MIN_SENDS_FOR_REROUTE_RATE}, 100 * FILL(rerouted, 0) / sent, 0)`,
    usingMetrics: { rerouted: serviceCount('Rerouted'), sent: serviceCount('CodeSent') },
    period: PERIOD,
    label: 'Reroutes per code sent (%)',
  });
  sink.addAlarm('RerouteRateHigh', 'reroute-rate-high', {
    metric: rate,
    threshold: REROUTE_RATE_ALARM_PERCENT,
    comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
    description:
      `More than ${REROUTE_RATE_ALARM_PERCENT}% of the codes sent in 5 minutes were rerouted (Rerouted / CodeSent, ` +
      `judged with at least ${MIN_SENDS_FOR_REROUTE_RATE} codes sent): a gateway accepts messages and does not ` +
      'deliver them (no receipt by the deadline) or reports them failed. The code.rerouted events name the ' +
      'gateways (fromGatewayId) and the reason; check that provider’s status page and console, and the routing ' +
      'snapshot (GET /admin/identity-stores/{storeId}/routing) for its delivered share by country.',
  });
}
