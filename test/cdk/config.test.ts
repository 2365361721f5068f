import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { describe, expect, it } from 'vitest';
import { readStackConfig } from '../../cdk/config.ts';

const read = (context: Record<string, unknown>) => readStackConfig((key) => context[key]);

describe('stack config from CDK context', () => {
  it('has safe defaults', () => {
    expect(read({})).toEqual({
      stage: 'dev',
      consoleGatewayAllowed: false,
      testNumbersAllowed: false,
      adaptiveRoutingAllowed: true,
      deliveryFailoverAllowed: false,
      // Calls are the costliest toll-fraud target: off unless the deployment turns them on.
      voiceAllowed: false,
      removalPolicy: 'retain',
      deletionProtection: true,
      logRetention: RetentionDays.ONE_MONTH,
      throttleRate: 50,
      throttleBurst: 100,
      codesSentAlarmThreshold: 500,
      providerFailureRateThreshold: 20,
      terminationProtection: true,
      auditLogRetention: RetentionDays.ONE_YEAR,
      sendConcurrency: 10,
      sendThrottleRate: 10,
      sendThrottleBurst: 20,
      publicThrottleRate: 5,
      publicThrottleBurst: 10,
      apiKeyRefusedAlarmThreshold: 100,
      smsMonthlySpendAlarmUsd: 100,
      approvalRatioAlarmPercent: 50,
      backup: true,
      wafAllowedCountries: [],
      wafRateLimitPerIp: 3000,
      wafRateLimitPerApiKey: 6000,
      outboundAllowCidrs: [],
    });
    expect(read({})).not.toHaveProperty('alarmEmail');
  });

  it('reads outboundAllowCidrs as a list or comma-separated, and refuses a malformed entry', () => {
    expect(read({ outboundAllowCidrs: ['10.1.0.0/16', 'fd00:1::/32'] }).outboundAllowCidrs).toEqual([
      '10.1.0.0/16',
      'fd00:1::/32',
    ]);
    expect(read({ outboundAllowCidrs: '10.1.0.0/16, 10.2.0.0/16' }).outboundAllowCidrs).toEqual([
      '10.1.0.0/16',
      '10.2.0.0/16',
    ]);
    expect(() => read({ outboundAllowCidrs: '10.1.0.0/16,intranet' })).toThrow(
      /outboundAllowCidrs.*intranet/,
    );
    expect(() => read({ outboundAllowCidrs: 42 })).toThrow(/outboundAllowCidrs/);
  });

  it('accepts the strings `cdk -c key=value` passes', () => {
    expect(
      read({
        stage: 'prod',
        consoleGatewayAllowed: 'true',
        testNumbersAllowed: 'true',
        adaptiveRoutingAllowed: 'false',
        voiceAllowed: 'true',
        removalPolicy: 'destroy',
        logRetentionDays: '90',
        throttleRate: '10',
        throttleBurst: '20',
        alarmEmail: 'ops@example.com',
        codesSentAlarmThreshold: '2000',
        providerFailureRateThreshold: '5.5',
        auditLogRetentionDays: '731',
        sendConcurrency: '0',
        sendThrottleRate: '2',
        sendThrottleBurst: '4',
        publicThrottleRate: '1',
        publicThrottleBurst: '2',
        apiKeyRefusedAlarmThreshold: '50',
        smsMonthlySpendAlarmUsd: '25.5',
        approvalRatioAlarmPercent: '30',
        backup: 'false',
        wafAllowedCountries: 'gb, US',
        wafRateLimitPerIp: '300',
        wafRateLimitPerApiKey: '600',
      }),
    ).toEqual({
      stage: 'prod',
      consoleGatewayAllowed: true,
      testNumbersAllowed: true,
      adaptiveRoutingAllowed: false,
      deliveryFailoverAllowed: false,
      voiceAllowed: true,
      removalPolicy: 'destroy',
      // Deletion protection would make `destroy` fail, so it follows the removal policy unless set.
      deletionProtection: false,
      logRetention: RetentionDays.THREE_MONTHS,
      throttleRate: 10,
      throttleBurst: 20,
      alarmEmail: 'ops@example.com',
      codesSentAlarmThreshold: 2000,
      providerFailureRateThreshold: 5.5,
      // Like deletion protection, termination protection follows the removal policy unless set.
      terminationProtection: false,
      auditLogRetention: RetentionDays.TWO_YEARS,
      // 0: the kill switch.
      sendConcurrency: 0,
      sendThrottleRate: 2,
      sendThrottleBurst: 4,
      publicThrottleRate: 1,
      publicThrottleBurst: 2,
      apiKeyRefusedAlarmThreshold: 50,
      smsMonthlySpendAlarmUsd: 25.5,
      approvalRatioAlarmPercent: 30,
      backup: false,
      wafAllowedCountries: ['GB', 'US'],
      wafRateLimitPerIp: 300,
      wafRateLimitPerApiKey: 600,
      // Every stage but dev: CloudFront + WAF, on CloudFront's own name without a custom domain.
      edge: {},
      outboundAllowCidrs: [],
    });
  });

  it('turns edge protection on for every stage but dev, unless edgeProtection says otherwise', () => {
    expect(read({ stage: 'dev' })).not.toHaveProperty('edge');
    expect(read({ stage: 'staging' }).edge).toEqual({});
    expect(read({ stage: 'prod', edgeProtection: 'false' })).not.toHaveProperty('edge');
    expect(read({ stage: 'dev', edgeProtection: true }).edge).toEqual({});
    expect(
      read({
        stage: 'prod',
        edgeDomainName: 'api.example.com',
        edgeCertificateArn: 'arn:aws:acm:us-east-1:1:certificate/e',
        apiCertificateArn: 'arn:aws:acm:eu-west-1:1:certificate/a',
      }).edge,
    ).toEqual({
      customDomain: {
        domainName: 'api.example.com',
        certificateArn: 'arn:aws:acm:us-east-1:1:certificate/e',
        apiCertificateArn: 'arn:aws:acm:eu-west-1:1:certificate/a',
      },
    });
  });

  it('takes an empty alarmEmail (`-c alarmEmail=`) as no e-mail subscription', () => {
    expect(read({ alarmEmail: '' })).not.toHaveProperty('alarmEmail');
    expect(read({ alarmEmail: ' ops@example.co.uk ' }).alarmEmail).toBe('ops@example.co.uk');
  });

  it('lets deletion protection be set explicitly', () => {
    expect(read({ removalPolicy: 'destroy', deletionProtection: true }).deletionProtection).toBe(true);
    expect(read({ deletionProtection: 'false' }).deletionProtection).toBe(false);
  });

  it.each([
    [{ stage: 'Prod' }, /stage/],
    [{ stage: 'a/b' }, /stage/],
    [{ removalPolicy: 'snapshot' }, /removalPolicy/],
    [{ logRetentionDays: 31 }, /logRetentionDays/],
    [{ logRetentionDays: 9999 }, /logRetentionDays/],
    [{ consoleGatewayAllowed: 'yes' }, /consoleGatewayAllowed/],
    [{ testNumbersAllowed: 'yes' }, /testNumbersAllowed/],
    [{ voiceAllowed: 'yes' }, /voiceAllowed/],
    [{ throttleRate: 0 }, /throttle/],
    [{ throttleBurst: 'lots' }, /throttleBurst/],
    [{ alarmEmail: 'ops.example.com' }, /alarmEmail/],
    [{ alarmEmail: 'ops@example' }, /alarmEmail/],
    [{ alarmEmail: 'ops@example.com,dev@example.com' }, /alarmEmail/],
    [{ alarmEmail: 'ops @example.com' }, /alarmEmail/],
    [{ alarmEmail: true }, /alarmEmail/],
    [{ codesSentAlarmThreshold: 0 }, /codesSentAlarmThreshold/],
    [{ codesSentAlarmThreshold: 12.5 }, /codesSentAlarmThreshold/],
    [{ codesSentAlarmThreshold: 'many' }, /codesSentAlarmThreshold/],
    [{ providerFailureRateThreshold: 0 }, /providerFailureRateThreshold/],
    [{ providerFailureRateThreshold: 100 }, /providerFailureRateThreshold/],
    [{ providerFailureRateThreshold: -5 }, /providerFailureRateThreshold/],
    [{ auditLogRetentionDays: 366 }, /auditLogRetentionDays/],
    [{ sendConcurrency: -1 }, /sendConcurrency/],
    [{ sendConcurrency: 2.5 }, /sendConcurrency/],
    [{ sendThrottleRate: 60 }, /sendThrottle/],
    [{ publicThrottleBurst: 500 }, /publicThrottle/],
    [{ approvalRatioAlarmPercent: 100 }, /approvalRatioAlarmPercent/],
    [{ smsMonthlySpendAlarmUsd: 0 }, /smsMonthlySpendAlarmUsd/],
    [{ wafAllowedCountries: 'GBR' }, /wafAllowedCountries/],
    [{ wafRateLimitPerIp: 5 }, /wafRateLimitPerIp/],
    [{ terminationProtection: 'maybe' }, /terminationProtection/],
  ])('rejects %j', (context, message) => {
    expect(() => read(context)).toThrow(message);
  });
});
