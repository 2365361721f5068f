import { NestedStack, Validations } from 'aws-cdk-lib';
import type { IHttpStage } from 'aws-cdk-lib/aws-apigatewayv2';
import { Alarm, type Dashboard, type Metric, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import { cdkRemovalPolicy, type StackConfig } from '../config.ts';
import type { AlarmSink, AlarmSpec } from './alarm-sink.ts';
import { alarmTopic } from './alarm-topic.ts';
import { AsyncInvocation, type AsyncInvocationProps } from './async-invocation.ts';
import { functionAlarms } from './function-alarms.ts';
import { httpApiAlarms } from './http-api-alarms.ts';
import { serviceDashboard } from './monitoring-dashboard.ts';
import { serviceCount, serviceMetrics } from './monitoring-metrics.ts';
import { rerouteAlarms } from './reroute-alarms.ts';
import { smsAbuseAndDeliveryAlarms, smsSendAlarms } from './sms-alarms.ts';
import { gatewayHealthAlarms } from './gateway-health-alarms.ts';
import { tableAlarms } from './table-alarms.ts';

export {
  API_5XX_RATE_THRESHOLD,
  BUDGET_ALARM_PERCENT,
  chunk,
  DELIVERY_RATE_ALARM_PERCENT,
  MAX_METRICS_PER_ALARM,
  METRICS_NAMESPACE,
  MIN_PROVIDER_ATTEMPTS,
  MIN_RECEIPTS_FOR_DELIVERY_RATE,
  MIN_REQUESTS_FOR_5XX_RATE,
  MIN_SENDS_FOR_APPROVAL_RATIO,
  SEND_BLOCKED_ALARM_THRESHOLD,
  SERVICE_NAME,
  SIDE_EFFECT_ALARM_THRESHOLD,
} from './monitoring-metrics.ts';

export interface MonitoringProps {
  config: StackConfig;
  /** The HTTP API stage clients call; its 5xx, Count and Latency metrics. */
  httpStage: IHttpStage;
  /** Every function of the service (route functions and the authorizer), by route id. */
  functions: ReadonlyMap<string, IFunction>;
  table: ITable;
  /** The table's global secondary indexes: DynamoDB reports their throttling separately from the table's. */
  tableIndexNames: readonly string[];
  /** Asynchronously invoked functions: each gets its failure path and alarms (AsyncInvocation). */
  asyncFunctions?: readonly Omit<
    AsyncInvocationProps,
    'alarms' | 'encryptionKey' | 'removalPolicy' | 'queueName'
  >[];
  /** Encrypts the failure queues. */
  queueKey: IKey;
}

/**
 * Alarms on what breaks or gets abused (API 5xx rate, Lambda errors and throttles, SMS provider
 * failures, a spike in codes sent, DynamoDB throttling), all notifying one encrypted SNS topic (and an
 * e-mail address when configured), and one dashboard with the same metrics plus latency and outcomes.
 */
export class Monitoring extends Construct implements AlarmSink {
  readonly topic: Topic;
  /**
   * The alarms and the dashboard, in a nested stack of their own: CloudFormation counts at most 500
   * resources per stack, and the route table alone takes most of the main stack's (docs/deploy.md). The
   * topic stays in the main stack, with the constructs' own alarms that notify it.
   */
  readonly alarmStack: NestedStack;
  readonly dashboard: Dashboard;
  readonly alarms: Alarm[] = [];
  /** By function name given in `asyncFunctions`. */
  readonly asyncInvocations = new Map<string, AsyncInvocation>();
  private readonly alarmNamePrefix: string;
  private readonly action: SnsAction;

  constructor(scope: Construct, id: string, props: MonitoringProps) {
    super(scope, id);
    const { config } = props;
    this.alarmNamePrefix = `sms-mfa-${config.stage}-`;
    this.alarmStack = new NestedStack(this, 'Alarms', {
      description: `sms-mfa (${config.stage}): the service's alarms and dashboard`,
    });

    this.topic = alarmTopic(this, config, this.alarmNamePrefix);
    this.action = new SnsAction(this.topic);
    if (config.alarmEmail) {
      const subscription = this.topic.addSubscription(new EmailSubscription(config.alarmEmail));
      Validations.of(subscription).acknowledge({
        id: 'Serverless-SNSRedrivePolicy',
        reason:
          'An e-mail subscription that tells a person an alarm changed state. A lost e-mail loses no data: the ' +
          'alarm state and its history stay in CloudWatch and on the dashboard, and an alarm still in ALARM is ' +
          'seen there. A dead-letter queue nobody reads would add a queue (and its own alarms) for nothing.',
      });
    }

    const fns = [...props.functions].map(([routeId, fn]) => ({ routeId, fn }));
    if (fns.length === 0) throw new Error('Monitoring needs at least one function');
    const service = serviceMetrics();

    // The alarm status widget lists the alarms in the order they are added, and that list is in the
    // deployed dashboard body: the table's alarm stays between the SMS send alarms and the rest.
    const { api, api5xxRate } = httpApiAlarms(this, props.httpStage);
    functionAlarms(this, fns, config.stage);
    const { providerFailureRate } = smsSendAlarms(this, service, config);
    const dynamo = tableAlarms(this, props.table, props.tableIndexNames);
    const { deliveryRate } = smsAbuseAndDeliveryAlarms(this, service, config);
    gatewayHealthAlarms(this, service);
    rerouteAlarms(this);

    for (const spec of props.asyncFunctions ?? []) {
      const id = spec.name.replace(/(^|-)([a-z])/g, (_m, _d, c: string) => c.toUpperCase());
      this.asyncInvocations.set(
        spec.name,
        new AsyncInvocation(this, id, {
          ...spec,
          queueName: `${this.alarmNamePrefix}${spec.name}-failed`,
          encryptionKey: props.queueKey,
          removalPolicy: cdkRemovalPolicy(config),
          alarms: this,
        }),
      );
    }

    this.dashboard = serviceDashboard(this.alarmStack, {
      config,
      alarms: this.alarms,
      fns,
      api,
      api5xxRate,
      dynamo,
      service,
      providerFailureRate,
      deliveryRate,
    });
  }

  /** A count the service's functions emit (Powertools metrics: this namespace, the service dimension). */
  serviceMetric(metricName: string): Metric {
    return serviceCount(metricName);
  }

  /** Adds an alarm that notifies the alarm topic and appears on the dashboard; its name gets the stage prefix. */
  addAlarm(id: string, name: string, props: AlarmSpec): Alarm {
    const alarm = new Alarm(this.alarmStack, id, {
      alarmName: `${this.alarmNamePrefix}${name}`,
      alarmDescription: props.description,
      metric: props.metric,
      threshold: props.threshold,
      comparisonOperator: props.comparisonOperator,
      evaluationPeriods: 1,
      datapointsToAlarm: 1,
      // No traffic is not a failure; every metric here is absent when nothing happens.
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    // OK too, so whoever got the alarm also learns that it is over.
    alarm.addAlarmAction(this.action);
    alarm.addOkAction(this.action);
    this.alarms.push(alarm);
    return alarm;
  }
}
