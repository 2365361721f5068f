import { Stack } from 'aws-cdk-lib';
import { CfnInsightRule } from 'aws-cdk-lib/aws-cloudwatch';
import { type ILogGroup, QueryDefinition, QueryString } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';

export interface LogInsightsProps {
  stage: string;
  /** The HTTP API's JSON access log (ACCESS_LOG_FIELDS in http-api.ts). */
  accessLog: ILogGroup;
  /** Log groups of the functions that send SMS (EMF metric lines and provider warnings). */
  sendingFunctionLogs: readonly ILogGroup[];
}

/**
 * The runbook's questions as CloudWatch Logs Insights saved queries (CloudWatch console > Logs Insights >
 * Saved queries, folder `sms-mfa-<stage>`), and a Contributor Insights rule ranking API keys by requests.
 * An access-log field without a value is `-` (API Gateway's placeholder).
 */
export class LogInsights extends Construct {
  readonly queries: QueryDefinition[] = [];
  readonly topKeysRule: CfnInsightRule;

  constructor(scope: Construct, id: string, props: LogInsightsProps) {
    super(scope, id);
    const folder = `sms-mfa-${props.stage}`;
    const query = (
      queryId: string,
      name: string,
      logGroups: readonly ILogGroup[],
      queryString: QueryString,
    ) =>
      this.queries.push(
        new QueryDefinition(this, queryId, {
          queryDefinitionName: `${folder}/${name}`,
          logGroups: [...logGroups],
          queryString,
        }),
      );
    const access = [props.accessLog];

    query(
      'TopKeys',
      'top API keys by status',
      access,
      new QueryString({
        filterStatements: ["keyId != '-'"],
        statsStatements: ['count(*) as requests by keyId, storeId, status'],
        sort: 'requests desc',
        limit: 50,
      }),
    );
    query(
      'TopIps',
      'top source IPs by status',
      access,
      new QueryString({
        statsStatements: ['count(*) as requests by sourceIp, status'],
        sort: 'requests desc',
        limit: 50,
      }),
    );
    query(
      'RoutesByStatus',
      'routes by status',
      access,
      new QueryString({
        statsStatements: ['count(*) as requests, avg(responseLatency) as avgLatencyMs by routeKey, status'],
        sort: 'requests desc',
        limit: 100,
      }),
    );
    // EMF lines of the dimensioned SendRefused count carry its `reason` dimension as a field.
    query(
      'RefusedSends',
      'refused sends by reason',
      props.sendingFunctionLogs,
      new QueryString({
        filterStatements: ['ispresent(SendRefused) and ispresent(reason)'],
        statsStatements: ['sum(SendRefused) as refused by reason, bin(1h) as hour'],
        sort: 'hour desc',
        limit: 200,
      }),
    );
    query(
      'ProviderFailures',
      'provider failures by gateway',
      props.sendingFunctionLogs,
      new QueryString({
        filterStatements: ["message = 'provider refused or failed'"],
        statsStatements: ['count(*) as failures by gatewayId, gatewayType, kind'],
        sort: 'failures desc',
        limit: 100,
      }),
    );

    this.topKeysRule = new CfnInsightRule(this, 'TopApiKeys', {
      ruleName: `${folder}-top-api-keys`,
      ruleState: 'ENABLED',
      ruleBody: Stack.of(this).toJsonString({
        Schema: { Name: 'CloudWatchLogRule', Version: 1 },
        LogGroupNames: [props.accessLog.logGroupName],
        LogFormat: 'JSON',
        Contribution: {
          Keys: ['$.keyId', '$.storeId'],
          Filters: [{ Match: '$.keyId', NotIn: ['-'] }],
        },
        AggregateOn: 'Count',
      }),
    });
  }
}
