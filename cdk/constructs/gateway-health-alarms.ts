import { ComparisonOperator } from 'aws-cdk-lib/aws-cloudwatch';
import type { AlarmSink } from './alarm-sink.ts';
import type { serviceMetrics } from './monitoring-metrics.ts';

/**
 * `GatewayOpen` (api.md "Operator switches, alarms"): a gateway's breaker opened. GatewayOpened is
 * counted once per opening by the instance whose conditional write opened it (gateway-health-table.ts).
 */
export function gatewayHealthAlarms(sink: AlarmSink, service: ReturnType<typeof serviceMetrics>): void {
  sink.addAlarm('GatewayOpen', 'gateway-open', {
    metric: service.gatewayOpened,
    threshold: 1,
    comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    description:
      'An SMS gateway opened in the last 5 minutes (GatewayOpened): at least 5 transport failures (5xx, ' +
      'timeouts, connection errors, authentication refusals), half of its attempts or more, within 60 s. ' +
      'Sends skip it for 60 s, then one trial send decides (gateway.opened / gateway.closed events). The ' +
      "dashboard's gateway health row names the gateway; GET /admin/gateways/{gatewayId} shows its health. " +
      "Check the provider's status page and the credentials (POST /admin/gateways/{gatewayId}/test), and " +
      'link a fallback gateway to the stores that use it.',
  });
}
