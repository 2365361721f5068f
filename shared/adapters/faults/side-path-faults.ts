import type { EventGuard } from '../../domain/events/event-log.ts';
import { SIDE_EFFECT_FAILED, type SideEffectKind } from '../../domain/side-effects.ts';
import type { EventPublisher } from '../../ports/events.ts';
import type { SendHistory } from '../../ports/send-history.ts';
import type { Telemetry } from '../../ports/telemetry.ts';
import type { WebhookTransport } from '../../ports/webhook-repository.ts';

/**
 * Local mode's `FAULTS` switch for the side paths: each named one fails every time, so that anyone can
 * see over HTTP that the answers stand and the failures are logged and counted (`SideEffectFailed`).
 */
export class LocalFault extends Error {
  constructor(kind: SideEffectKind) {
    super(`FAULTS=${kind}: failed (local fault)`);
    this.name = 'LocalFault';
  }
}

const fail = (kind: SideEffectKind) => async (): Promise<never> => {
  throw new LocalFault(kind);
};

export const failingPublisher: EventPublisher = { publish: fail('event-publish') };

export const failingWebhookTransport: WebhookTransport = { post: fail('webhook-dispatch') };

/** The guard refuses every event. */
export const refusingGuard: EventGuard = () => ['FAULTS=event-guard: every event refused (local fault)'];

/** Every metric fails but `SideEffectFailed`, which counts the others' failures. */
export function failingMetrics(inner: Telemetry): Telemetry {
  const failing =
    <A extends unknown[]>(record: (metric: string, ...rest: A) => void) =>
    (metric: string, ...rest: A) => {
      if (metric !== SIDE_EFFECT_FAILED) throw new LocalFault('metrics');
      record(metric, ...rest);
    };
  return {
    count: failing((metric, dimensions?: Record<string, string>, value?: number) =>
      inner.count(metric, dimensions, value),
    ),
    timing: failing((metric, milliseconds: number, dimensions?: Record<string, string>) =>
      inner.timing(metric, milliseconds, dimensions),
    ),
    percent: failing((metric, value: number, dimensions?: Record<string, string>) =>
      inner.percent(metric, value, dimensions),
    ),
    warn: (message, fields) => inner.warn(message, fields),
  };
}

/** Send records, receipt pointers or both fail to be written, as `faults` says; reads work. */
export function failingSendWrites(
  history: SendHistory,
  faults: ReadonlySet<string>,
): Pick<SendHistory, 'recordSend' | 'recordMessage' | 'recordEnd'> {
  if (!faults.has('send-record') && !faults.has('receipt-pointer')) return history;
  return {
    recordSend: faults.has('send-record') ? fail('send-record') : (...args) => history.recordSend(...args),
    recordMessage: faults.has('receipt-pointer')
      ? fail('receipt-pointer')
      : (...args) => history.recordMessage(...args),
    recordEnd: faults.has('send-record') ? fail('send-record') : (...args) => history.recordEnd(...args),
  };
}
