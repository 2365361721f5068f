import type { RerouteJob } from '../domain/deliveries/reroute-code.ts';

/**
 * Where reroute jobs wait for their moment: locally a timer in the server; deployed a durable delayed
 * job (an SQS delay queue, 5..900 s) so that a restart loses none.
 */
export interface RerouteQueue {
  enqueue(job: RerouteJob, delayMs: number): Promise<void>;
}
