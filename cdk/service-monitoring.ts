import type { Construct } from 'constructs';
import { STORE_INDEX } from '../shared/adapters/dynamodb/store-ownership.ts';
import { GSI1 } from '../shared/adapters/dynamodb/table-definition.ts';
import { approvalUncounter } from '../shared/routes.ts';
import type { StackConfig } from './config.ts';
import {
  type ApprovalUncount,
  UNCOUNT_MAX_EVENT_AGE,
  UNCOUNT_RETRY_ATTEMPTS,
} from './constructs/approval-uncount.ts';
import type { EdgeDistribution } from './constructs/edge-distribution.ts';
import type { EventDelivery } from './constructs/event-delivery.ts';
import type { ExpiryReports } from './constructs/expiry-reports.ts';
import type { ServiceHttpApi } from './constructs/http-api.ts';
import type { ServiceKeys } from './constructs/keys.ts';
import { Monitoring } from './constructs/monitoring.ts';
import type { RerouteJobs } from './constructs/reroute-jobs.ts';
import type { RouteFunction } from './constructs/route-function.ts';
import type { StoreSweep } from './constructs/store-sweep.ts';
import type { TableStreamAggregates } from './constructs/table-stream-aggregates.ts';
import type { ServiceTable } from './constructs/table.ts';
import { NOTIFIER_MAX_EVENT_AGE, NOTIFIER_RETRY_ATTEMPTS } from './service-routes.ts';

export interface ServiceMonitoringProps {
  config: StackConfig;
  httpApi: ServiceHttpApi;
  /** Every function of the service, by route id. */
  functions: ReadonlyMap<string, RouteFunction>;
  table: ServiceTable;
  keys: ServiceKeys;
  notifier: RouteFunction;
  uncount: ApprovalUncount;
  sweep: StoreSweep;
  aggregates: TableStreamAggregates;
  events: EventDelivery;
  expiryReports: ExpiryReports;
  rerouteJobs: RerouteJobs;
  edge?: EdgeDistribution;
}

/**
 * The service's Monitoring (alarm topic, alarms, dashboard) in `scope`, and the constructs that own
 * alarms of their own wired to its topic.
 */
export function serviceMonitoring(scope: Construct, props: ServiceMonitoringProps): Monitoring {
  const { config, uncount, expiryReports } = props;
  const monitoring = new Monitoring(scope, 'Monitoring', {
    config,
    httpStage: props.httpApi.stage,
    functions: new Map([...props.functions].map(([routeId, routeFunction]) => [routeId, routeFunction.fn])),
    table: props.table.table,
    tableIndexNames: [GSI1.name, STORE_INDEX.name],
    queueKey: props.keys.data,
    asyncFunctions: [
      {
        name: 'replaced-number-notifier',
        fn: props.notifier.fn,
        purpose: 'A notice to a replaced phone number',
        retryAttempts: NOTIFIER_RETRY_ATTEMPTS,
        maxEventAge: NOTIFIER_MAX_EVENT_AGE,
      },
      {
        name: approvalUncounter.id,
        fn: uncount.function.fn,
        purpose: "Taking an approved challenge's sends off the fraud guard's unverified counts",
        retryAttempts: UNCOUNT_RETRY_ATTEMPTS,
        maxEventAge: UNCOUNT_MAX_EVENT_AGE,
      },
      ...expiryReports.asyncFunctions,
    ],
  });
  props.sweep.alarmTo(monitoring.topic);
  props.aggregates.alarmTo(monitoring.topic);
  uncount.alarmTo(monitoring.topic);
  props.events.alarmTo(monitoring.topic);
  expiryReports.alarmTo(monitoring.topic);
  props.rerouteJobs.alarmTo(monitoring.topic);
  if (props.edge) props.edge.alarmTo(monitoring);
  return monitoring;
}
