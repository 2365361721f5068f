import { once } from '../once.ts';
import type { SchedulerClient } from '@aws-sdk/client-scheduler';
import type { ExpiryCheck, ExpiryScheduler } from '../../ports/expiry-scheduler.ts';

/** Where the one-time schedules go and what they invoke (CDK sets them: cdk/constructs/expiry-reports.ts). */
export interface ExpiryScheduleTarget {
  groupName: string;
  /** The report-expiry function. */
  functionArn: string;
  /** The role EventBridge Scheduler assumes to invoke it. */
  roleArn: string;
}

/**
 * `<challengeId>-<epoch seconds>`: one schedule per challenge and check time, so a repeated event is the
 * same schedule (ConflictException) and a resend's later check is another. Scheduler allows 1-64 of
 * [0-9a-zA-Z-_.]; challenge ids are `ch_` and 26 base32 characters.
 */
export function scheduleName(check: ExpiryCheck): string {
  const name = `${check.challengeId}-${atSeconds(check.at)}`;
  if (!/^[0-9a-zA-Z\-_.]{1,64}$/.test(name)) throw new Error(`Not a schedule name: ${name}`);
  return name;
}

/** Scheduler's `at()` takes whole seconds: rounded up, so a check never runs before its time. */
const atSeconds = (at: number) => Math.ceil(at / 1000);

/** `yyyy-mm-ddThh:mm:ss` in UTC, as `at(...)` takes it. */
export const atExpression = (at: number) =>
  `at(${new Date(atSeconds(at) * 1000).toISOString().slice(0, 19)})`;

/**
 * Deployed expiry checks as EventBridge Scheduler one-time schedules, deleted once they ran. Each invokes
 * the report-expiry function (asynchronously) with the challenge's ids.
 */
export class EventBridgeExpiryScheduler implements ExpiryScheduler {
  private readonly client: () => Promise<SchedulerClient>;

  constructor(
    createClient: () => Promise<SchedulerClient>,
    private readonly target: ExpiryScheduleTarget,
  ) {
    this.client = once(createClient);
  }

  async schedule(check: ExpiryCheck): Promise<void> {
    const client = await this.client();
    const { ConflictException, CreateScheduleCommand } = await import('@aws-sdk/client-scheduler');
    try {
      await client.send(
        new CreateScheduleCommand({
          Name: scheduleName(check),
          GroupName: this.target.groupName,
          ScheduleExpression: atExpression(check.at),
          ScheduleExpressionTimezone: 'UTC',
          FlexibleTimeWindow: { Mode: 'OFF' },
          ActionAfterCompletion: 'DELETE',
          Target: {
            Arn: this.target.functionArn,
            RoleArn: this.target.roleArn,
            Input: JSON.stringify({ storeId: check.storeId, challengeId: check.challengeId }),
          },
        }),
      );
    } catch (error) {
      // The same event again (EventBridge delivers at least once): that check is already scheduled.
      if (error instanceof ConflictException) return;
      throw error;
    }
  }
}
