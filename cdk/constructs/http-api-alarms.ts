import type { IHttpStage } from 'aws-cdk-lib/aws-apigatewayv2';
import { ComparisonOperator, MathExpression } from 'aws-cdk-lib/aws-cloudwatch';
import type { AlarmSink } from './alarm-sink.ts';
import {
  API_5XX_RATE_THRESHOLD,
  apiMetrics,
  MIN_REQUESTS_FOR_5XX_RATE,
  PERIOD,
} from './monitoring-metrics.ts';

/** The HTTP API's alarm (its 5xx rate), and the metrics the dashboard graphs beside it. */
export function httpApiAlarms(sink: AlarmSink, stage: IHttpStage) {
  const api = apiMetrics(stage);
  const api5xxRate = new MathExpression({
    expression: `IF(requests > ${MIN_REQUESTS_FOR_5XX_RATE}, 100 * FILL(errors, 0) / requests, 0)`,
    usingMetrics: { requests: api.count, errors: api.serverErrors },
    period: PERIOD,
    label: 'API 5xx rate (%)',
  });
  sink.addAlarm('Api5xxRate', 'api-5xx-rate', {
    metric: api5xxRate,
    threshold: API_5XX_RATE_THRESHOLD,
    comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
    description:
      `More than ${API_5XX_RATE_THRESHOLD}% of HTTP API requests were answered with a 5xx status in 5 minutes ` +
      `(judged only with more than ${MIN_REQUESTS_FOR_5XX_RATE} requests). Clients are failing to send or ` +
      'verify codes. Look at the Lambda errors and throttles and DynamoDB throttles on the dashboard, then ' +
      "the API access log group (status, integrationError, authorizerError, errorMessage) and the failing route's " +
      'function log group. If it started with a deployment, roll back.',
  });
  return { api, api5xxRate };
}
