import type { ExpiryScheduler } from '../../ports/expiry-scheduler.ts';

/**
 * How long after an expiry the deployed check runs: late enough that the challenge is expired by the
 * checker's clock too, well within the 5 minutes api.md allows between the expiry and its report.
 */
export const EXPIRY_CHECK_DELAY_MS = 60_000;

/** Deployed: on `challenge.created`, one check of that challenge shortly after its expiry. */
export class ScheduleExpiryReport {
  constructor(private readonly deps: { scheduler: ExpiryScheduler }) {}

  run(storeId: string, challengeId: string, expiresAt: number): Promise<void> {
    return this.deps.scheduler.schedule({ storeId, challengeId, at: expiresAt + EXPIRY_CHECK_DELAY_MS });
  }
}
