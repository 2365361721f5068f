import { ComparisonOperator, MathExpression, Metric, Stats } from 'aws-cdk-lib/aws-cloudwatch';
import type { StackConfig } from '../config.ts';
import type { AlarmSink } from './alarm-sink.ts';
import {
  BUDGET_ALARM_PERCENT,
  DELIVERY_RATE_ALARM_PERCENT,
  MIN_PROVIDER_ATTEMPTS,
  MIN_RECEIPTS_FOR_DELIVERY_RATE,
  MIN_SENDS_FOR_APPROVAL_RATIO,
  PERIOD,
  percentOf,
  SEND_BLOCKED_ALARM_THRESHOLD,
  type serviceMetrics,
  SIDE_EFFECT_ALARM_THRESHOLD,
  VOICE_SPEND_ALARM_USD_PER_HOUR,
} from './monitoring-metrics.ts';

type ServiceMetrics = ReturnType<typeof serviceMetrics>;

/** SMS provider failures and the volume of codes sent; returns the failure rate for the dashboard. */
export function smsSendAlarms(sink: AlarmSink, service: ServiceMetrics, config: StackConfig) {
  // SMS provider failure rate. SUM([...]) counts attempts even when one of the two metrics has no
  // data (a provider that fails every attempt emits no ProviderSend at all).
  const providerFailureRate = percentOf(
    ['failures', service.providerFailure],
    ['sends', service.providerSend],
    { minimum: MIN_PROVIDER_ATTEMPTS, otherwise: 0, label: 'Provider failure rate (%)' },
  );
  sink.addAlarm('ProviderFailureRate', 'provider-failure-rate', {
    metric: providerFailureRate,
    threshold: config.providerFailureRateThreshold,
    comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
    description:
      `More than ${config.providerFailureRateThreshold}% of SMS provider attempts failed in 5 minutes ` +
      `(ProviderFailure / (ProviderFailure + ProviderSend), judged with at least ${MIN_PROVIDER_ATTEMPTS} ` +
      'attempts). Users may not be getting their codes. The dashboard splits failures by gateway type and ' +
      "kind (invalid-number is the recipient's fault; timeouts, 5xx and auth failures are the provider's or " +
      "ours); the logs have a 'provider refused or failed' warning per attempt. Check the provider's status " +
      'and credentials (POST /admin/gateways/{gatewayId}/test) and link a second gateway for failover.',
  });

  // Spike in codes sent: SMS pumping (toll fraud) shows up as many more codes than logins.
  sink.addAlarm('CodesSentSpike', 'codes-sent-spike', {
    metric: service.codeSent,
    threshold: config.codesSentAlarmThreshold,
    comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
    description:
      `More than ${config.codesSentAlarmThreshold} one-time codes were sent by SMS in 5 minutes (CodeSent). ` +
      'Either traffic grew or someone is pumping SMS (toll fraud: bots requesting codes for premium or ' +
      'high-cost numbers, paid for by you). Compare codes sent with verifications approved on the dashboard ' +
      '(pumped codes are never verified) and find the callers in the API access logs; revoke abusive API ' +
      'keys and tighten send limits. If the traffic is real, raise the codesSentAlarmThreshold context value.',
  });
  return { providerFailureRate };
}

/**
 * Abuse, spend, delivery and side paths, from the service's own metrics (and SNS's spend); returns the
 * delivery rate for the dashboard.
 */
export function smsAbuseAndDeliveryAlarms(sink: AlarmSink, service: ServiceMetrics, config: StackConfig) {
  // Refused API keys: a flood of junk or revoked keys (credential stuffing, a leaked and revoked key
  // still in use). Each one invokes the authorizer, and on a cache miss a route function too.
  sink.addAlarm('ApiKeyRefusedSpike', 'api-key-refused-spike', {
    metric: service.apiKeyRefused,
    threshold: config.apiKeyRefusedAlarmThreshold,
    comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
    description:
      `More than ${config.apiKeyRefusedAlarmThreshold} requests with an unknown, malformed or revoked API key in 5 ` +
      'minutes (ApiKeyRefused, from the authorizer). Someone is guessing keys or a client still uses a revoked ' +
      "one. Run the saved Logs Insights query 'top source IPs by status' on the access log; the WAF's rate rule on " +
      'the Authorization header absorbs floods of one value. Block persistent sources in the WAF.',
  });

  // SMS spend this month (Amazon SNS only; third-party providers bill outside AWS).
  sink.addAlarm('SmsMonthlySpend', 'sms-monthly-spend', {
    metric: new Metric({
      namespace: 'AWS/SNS',
      metricName: 'SMSMonthToDateSpentUSD',
      period: PERIOD,
      statistic: Stats.MAXIMUM,
      label: 'SNS SMS spend this month (USD)',
    }),
    threshold: config.smsMonthlySpendAlarmUsd,
    comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
    description:
      `Amazon SNS SMS spend in this account and region passed ${config.smsMonthlySpendAlarmUsd} USD this month ` +
      "(AWS/SNS SMSMonthToDateSpentUSD, all of the account's SMS, not only this stack's). Compare codes sent " +
      "with approvals on the dashboard: pumped codes are never approved. At the account's SNS MonthlySpendLimit " +
      'SNS stops sending altogether.',
  });

  // Approved / sent: SMS pumping sends codes that nobody verifies.
  const approvalRatio = new MathExpression({
    expression: `IF(FILL(sent, 0) >= ${MIN_SENDS_FOR_APPROVAL_RATIO}, 100 * FILL(approved, 0) / sent, 100)`,
    usingMetrics: { sent: service.codeSent, approved: service.verificationApproved },
    period: PERIOD,
    label: 'Codes approved per code sent (%)',
  });
  sink.addAlarm('ApprovalRatioLow', 'approval-ratio-low', {
    metric: approvalRatio,
    threshold: config.approvalRatioAlarmPercent,
    comparisonOperator: ComparisonOperator.LESS_THAN_THRESHOLD,
    description:
      `Fewer than ${config.approvalRatioAlarmPercent}% of the codes sent in 5 minutes were approved (judged with at ` +
      `least ${MIN_SENDS_FOR_APPROVAL_RATIO} codes sent). Codes that nobody enters are the mark of SMS pumping ` +
      "(toll fraud), or of messages that do not arrive. Run the saved queries 'refused sends by reason' and " +
      "'top API keys by status'; check delivery (the provider's console, SNS delivery-status logs).",
  });

  // Delivery receipts: a drop in the share of codes the providers report as delivered.
  const deliveryRate = percentOf(
    ['delivered', service.smsDelivered],
    ['undelivered', service.smsDeliveryFailed],
    { minimum: MIN_RECEIPTS_FOR_DELIVERY_RATE, otherwise: 100, label: 'Receipts that say delivered (%)' },
  );
  sink.addAlarm('DeliveryRateLow', 'delivery-rate-low', {
    metric: deliveryRate,
    threshold: DELIVERY_RATE_ALARM_PERCENT,
    comparisonOperator: ComparisonOperator.LESS_THAN_THRESHOLD,
    description:
      `Fewer than ${DELIVERY_RATE_ALARM_PERCENT}% of the delivery receipts of 5 minutes said delivered ` +
      `(SmsDelivered / (SmsDelivered + SmsDeliveryFailed), judged with at least ${MIN_RECEIPTS_FOR_DELIVERY_RATE} ` +
      'receipts). Codes are accepted but do not reach phones. The dashboard splits receipts by gateway type and ' +
      'country: one country points at a carrier or sender-ID rule there, one gateway type at that provider (its ' +
      'status page and console). Link a second gateway for failover; GET /admin/identity-stores/{storeId}/' +
      'challenges/{challengeId} shows the sends of one challenge with their delivery status.',
  });

  // The fraud guard refused sends: an attack on a range, a country or from an address is under way.
  sink.addAlarm('SendBlocked', 'send-blocked', {
    metric: service.sendBlocked,
    threshold: SEND_BLOCKED_ALARM_THRESHOLD,
    comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    description:
      `The fraud guard or a spend limit refused at least ${SEND_BLOCKED_ALARM_THRESHOLD} sends in 5 minutes ` +
      '(SendBlocked, 422 send-blocked; no provider was called). The dashboard splits them by reason and country. ' +
      'List the active blocks (npm run admin -- blocks list <storeId>): a prefix or country block with few ' +
      'approvals is SMS pumping and needs nothing but watching; lift a block that hits real users (blocks lift) ' +
      'and raise the store fraudGuard limit that caught them.',
  });

  // A spend budget 80 % used: BudgetUsedPercent is each send's fill of its store or country budget.
  sink.addAlarm('SpendBudget80Percent', 'spend-budget-80-percent', {
    metric: service.budgetUsedPercent,
    threshold: BUDGET_ALARM_PERCENT,
    comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    description:
      `A send used ${BUDGET_ALARM_PERCENT}% or more of an identity store's daily spend budget (spendLimits.dailyBudget ` +
      'or a countryDailyBudget; BudgetUsedPercent, maximum over 5 minutes). At 100% every further send of that ' +
      'budget is refused (store-budget / country-budget) until the UTC day ends. The dashboard shows the level ' +
      'by budget and country and EstimatedSpend by country: pumping shows as spend in one country without ' +
      'approvals. Raise the budget if the traffic is real, else leave it to refuse the rest.',
  });

  // Calls are the costliest target of toll fraud: their estimated spend per hour, every store summed.
  sink.addAlarm('VoiceSpendPerHour', 'voice-spend-per-hour', {
    metric: service.voiceSpend,
    threshold: VOICE_SPEND_ALARM_USD_PER_HOUR,
    comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
    description:
      `Voice calls cost more than ${VOICE_SPEND_ALARM_USD_PER_HOUR} (store currency, estimated at the stores' ` +
      'pricePerCall) in one hour (VoiceSpend). Calls to premium ranges pay the attacker (international revenue ' +
      'share fraud). Look at EstimatedSpend by country on the dashboard and the send.blocked events; narrow the ' +
      "stores' voice.allowedCountries, lower voice.perStorePerDay, or turn voice.enabled off.",
  });

  // Side paths failed: answers stood, but events, webhooks, metrics or send records went missing.
  sink.addAlarm('SideEffectFailed', 'side-effect-failed', {
    metric: service.sideEffectFailed,
    threshold: SIDE_EFFECT_ALARM_THRESHOLD,
    comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    description:
      `At least ${SIDE_EFFECT_ALARM_THRESHOLD} side paths failed in 5 minutes (SideEffectFailed). The answers ` +
      'stood, but what the kind names is missing: event-publish (events and webhooks: check the bus and the ' +
      "functions' events:PutEvents), send-record and receipt-pointer (challenge history and delivery receipts: " +
      'DynamoDB throttles or errors), metrics, webhook-dispatch and usage-counter (local mode only), event-guard (an emitter put a code or number in an event: a bug, ' +
      'report it). The WARN lines "side effect failed" in the functions\' logs name the kind, the error and the event.',
  });
  return { deliveryRate };
}
