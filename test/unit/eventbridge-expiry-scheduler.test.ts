import { ConflictException, CreateScheduleCommand, SchedulerClient } from '@aws-sdk/client-scheduler';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import {
  EventBridgeExpiryScheduler,
  scheduleName,
} from '../../shared/adapters/events/eventbridge-expiry-scheduler.ts';

const TARGET = {
  groupName: 'sms-mfa-dev-challenge-expiry',
  functionArn: 'arn:aws:lambda:eu-west-1:111122223333:function:sms-mfa-dev-challenge-expiry-report',
  roleArn: 'arn:aws:iam::111122223333:role/sms-mfa-dev-ExpiryReportsInvokeRole',
};
const CHALLENGE = 'ch_06h39444vmc51z16kb2tf4xp7m';
/** 2026-12-02T09:06:00.250Z: not a whole second. */
const AT = Date.UTC(2026, 11, 2, 9, 6, 0, 250);

const scheduler = mockClient(SchedulerClient);
afterEach(() => scheduler.reset());
const adapter = () => new EventBridgeExpiryScheduler(async () => new SchedulerClient({}), TARGET);

describe('EventBridgeExpiryScheduler', () => {
  it('creates one one-time schedule in the group, deleted after it ran, invoking the reporter with the ids', async () => {
    scheduler.on(CreateScheduleCommand).resolves({ ScheduleArn: 'arn:aws:scheduler:...' });
    await adapter().schedule({ storeId: 'ids_1', challengeId: CHALLENGE, at: AT });
    const calls = scheduler.commandCalls(CreateScheduleCommand);
    expect(calls).toHaveLength(1);
    expect(calls[0]!.args[0].input).toEqual({
      // Rounded up to the whole second: the check never runs before its time.
      Name: `${CHALLENGE}-${Math.ceil(AT / 1000)}`,
      GroupName: 'sms-mfa-dev-challenge-expiry',
      ScheduleExpression: 'at(2026-12-02T09:06:01)',
      ScheduleExpressionTimezone: 'UTC',
      FlexibleTimeWindow: { Mode: 'OFF' },
      ActionAfterCompletion: 'DELETE',
      Target: {
        Arn: TARGET.functionArn,
        RoleArn: TARGET.roleArn,
        Input: JSON.stringify({ storeId: 'ids_1', challengeId: CHALLENGE }),
      },
    });
    expect(calls[0]!.args[0].input.Name).toMatch(/^[0-9a-zA-Z\-_.]{1,64}$/);
  });

  it('a schedule of that name exists already (the same event again): already scheduled, no error', async () => {
    scheduler.on(CreateScheduleCommand).rejects(
      new ConflictException({
        Message: 'Schedule already exists.',
        message: 'Schedule already exists.',
        $metadata: {},
      }),
    );
    await expect(adapter().schedule({ storeId: 'ids_1', challengeId: CHALLENGE, at: AT })).resolves.toBe(
      undefined,
    );
    expect(scheduler.commandCalls(CreateScheduleCommand)).toHaveLength(1);
  });

  it('any other failure is thrown, so the invocation is retried', async () => {
    scheduler.on(CreateScheduleCommand).rejects(new Error('ThrottlingException'));
    await expect(adapter().schedule({ storeId: 'ids_1', challengeId: CHALLENGE, at: AT })).rejects.toThrow(
      'ThrottlingException',
    );
  });

  it('refuses to make a name Scheduler would refuse', () => {
    expect(() => scheduleName({ storeId: 'ids_1', challengeId: 'ch/1', at: AT })).toThrow(/schedule name/);
    expect(() => scheduleName({ storeId: 'ids_1', challengeId: 'c'.repeat(60), at: AT })).toThrow();
  });
});
