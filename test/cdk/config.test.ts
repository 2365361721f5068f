import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { describe, expect, it } from 'vitest';
import { readStackConfig } from '../../cdk/config.ts';

const read = (context: Record<string, unknown>) => readStackConfig((key) => context[key]);

describe('stack config from CDK context', () => {
  it('has safe defaults', () => {
    expect(read({})).toEqual({
      stage: 'dev',
      consoleGatewayAllowed: false,
      removalPolicy: 'retain',
      deletionProtection: true,
      logRetention: RetentionDays.ONE_MONTH,
      throttleRate: 50,
      throttleBurst: 100,
    });
  });

  it('accepts the strings `cdk -c key=value` passes', () => {
    expect(
      read({
        stage: 'prod',
        consoleGatewayAllowed: 'true',
        removalPolicy: 'destroy',
        logRetentionDays: '90',
        throttleRate: '10',
        throttleBurst: '20',
      }),
    ).toEqual({
      stage: 'prod',
      consoleGatewayAllowed: true,
      removalPolicy: 'destroy',
      // Deletion protection would make `destroy` fail, so it follows the removal policy unless set.
      deletionProtection: false,
      logRetention: RetentionDays.THREE_MONTHS,
      throttleRate: 10,
      throttleBurst: 20,
    });
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
    [{ throttleRate: 0 }, /throttle/],
    [{ throttleBurst: 'lots' }, /throttleBurst/],
  ])('rejects %j', (context, message) => {
    expect(() => read(context)).toThrow(message);
  });
});
