import type { Clock } from '../../shared/ports/clock.ts';

/** Time that moves only when a test says so. */
export class ManualClock implements Clock {
  private ms: number;

  constructor(start = Date.now()) {
    this.ms = start;
  }

  now(): Date {
    return new Date(this.ms);
  }

  advance(ms: number): void {
    this.ms += ms;
  }
}
