import type { RerouteJob } from '../../domain/deliveries/reroute-code.ts';
import type { RerouteQueue } from '../../ports/reroute-queue.ts';
import type { Telemetry } from '../../ports/telemetry.ts';

/** When a timer fires; injectable so that tests can run due jobs without waiting. */
export interface TimerScheduler {
  after(delayMs: number, run: () => Promise<void>): void;
}

export const realTimers: TimerScheduler = {
  // Unreferenced: a pending reroute never keeps the server process alive.
  after: (delayMs, run) => void setTimeout(() => void run(), delayMs).unref(),
};

/**
 * Local mode's reroute jobs: a timer in the server process, due within a few milliseconds of its
 * deadline (api.md: within 5 s). A restart loses pending jobs locally; deployed they wait in SQS.
 */
export class LocalRerouteTimers implements RerouteQueue {
  constructor(
    private readonly run: (job: RerouteJob) => Promise<unknown>,
    private readonly telemetry: Telemetry,
    private readonly timers: TimerScheduler = realTimers,
  ) {}

  async enqueue(job: RerouteJob, delayMs: number): Promise<void> {
    this.timers.after(delayMs, () =>
      this.run(job).then(
        () => undefined,
        (error: unknown) => {
          this.telemetry.count('RerouteJobFailed', {});
          this.telemetry.warn('reroute job failed', {
            storeId: job.storeId,
            challengeId: job.challengeId,
            error: (error as Error).name,
          });
        },
      ),
    );
  }
}
