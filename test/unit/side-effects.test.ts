import { describe, expect, it } from 'vitest';
import { SendRecorder } from '../../shared/domain/deliveries/send-recorder.ts';
import { secretsIn } from '../../shared/domain/events/event-guard.ts';
import { EventLog } from '../../shared/domain/events/event-log.ts';
import { newEvent, type DomainEvent } from '../../shared/domain/events/event.ts';
import { reliableTelemetry, SIDE_EFFECT_FAILED } from '../../shared/domain/side-effects.ts';
import { userIdProblem } from '../../shared/domain/user-id.ts';
import type { Telemetry } from '../../shared/ports/telemetry.ts';
import { ManualClock } from '../support/manual-clock.ts';

/**
 * api.md "Side paths never fail a request" and "userId is opaque", at the level of the domain: the event
 * log, the send recorder and metrics report a failure (log line + `SideEffectFailed` by kind) instead of
 * throwing it, and the event guard carries the ids that others choose as given.
 */

const T0 = Date.UTC(2026, 11, 6, 20);
let seq = 0;
const random = { bytes: (n: number) => Buffer.alloc(n, seq++ % 256), int: (max: number) => seq++ % max };

function recordingTelemetry(failOn: (metric: string) => boolean = () => false) {
  const counts: { metric: string; dimensions?: Record<string, string> }[] = [];
  const warnings: { message: string; fields: Record<string, string> }[] = [];
  const telemetry: Telemetry = {
    count: (metric, dimensions) => {
      if (failOn(metric)) throw new RangeError(`cannot record ${metric}`);
      counts.push({ metric, ...(dimensions ? { dimensions } : {}) });
    },
    timing: (metric) => {
      if (failOn(metric)) throw new RangeError(`cannot record ${metric}`);
    },
    percent: (metric) => {
      if (failOn(metric)) throw new RangeError(`cannot record ${metric}`);
    },
    warn: (message, fields) => void warnings.push({ message, fields }),
  };
  const failures = () =>
    counts.filter((c) => c.metric === SIDE_EFFECT_FAILED).map((c) => c.dimensions?.kind ?? '');
  return { telemetry, counts, warnings, failures };
}

const challenge = {
  storeId: 'ids_1',
  challengeId: 'ch_1',
  userId: '1765044228000',
  purpose: 'enroll',
  maskedPhone: '+44*******456',
  country: 'GB',
};

describe('the event guard carries opaque ids as given', () => {
  it.each([
    ['all digits', '12345'],
    ['a code-like 6 digits', '123456'],
    ['a 13-digit timestamp inside', 'victim-0-1765044228000'],
    ['a phone number', '+447400123456'],
    ['a whsec-like id', 'whsec_user'],
  ])('userId %s', (_name, userId) => {
    expect(secretsIn({ ...challenge, userId })).toEqual([]);
  });

  it('an IAM actor (12-digit account) and a numeric provider message id', () => {
    expect(
      secretsIn({
        actor: 'arn:aws:sts::123456789012:assumed-role/Admin/alice',
        storeId: 'ids_1',
        providerMessageId: '20340722196',
      }),
    ).toEqual([]);
  });

  it('still refuses the same values under any other field, and secret field names', () => {
    expect(secretsIn({ ...challenge, note: '1765044228000' })).toEqual([
      'data.note: looks like a full phone number or code',
    ]);
    expect(secretsIn({ ...challenge, maskedPhone: '+447400123456' })).not.toEqual([]);
    expect(secretsIn({ ...challenge, nested: { userRef: '123456' } })).not.toEqual([]);
    expect(secretsIn({ ...challenge, phone: 'x' })).toEqual(['data.phone: a field that may hold a secret']);
    // Only a string is carried as given: an object under an opaque name is still looked into.
    expect(secretsIn({ userId: { code: '123456' } })).not.toEqual([]);
  });
});

describe('EventLog: events never fail the caller', () => {
  it('a refused event is not published, never thrown, logged without the userId and counted', async () => {
    const published: DomainEvent[] = [];
    const { telemetry, warnings, failures } = recordingTelemetry();
    const log = new EventLog(
      { publish: async (event) => void published.push(event) },
      new ManualClock(T0),
      random,
      telemetry,
    );
    expect(() => log.emit('code.sent', { ...challenge, code: '123456' })).not.toThrow();
    log.emit('challenge.created', challenge);
    await log.settled();
    expect(published.map((e) => [e.type, e.data.userId])).toEqual([['challenge.created', '1765044228000']]);
    expect(failures()).toEqual(['event-guard']);
    expect(warnings).toEqual([
      {
        message: 'side effect failed; the answer stands',
        fields: {
          kind: 'event-guard',
          error: 'EventDataRefused',
          findings: 'data.code: a field that may hold a secret',
          eventType: 'code.sent',
          storeId: 'ids_1',
          challengeId: 'ch_1',
        },
      },
    ]);
    expect(JSON.stringify(warnings)).not.toContain(challenge.userId);
  });

  it('a publisher that throws at once or rejects later: emit returns, settled resolves, each counted', async () => {
    const { telemetry, warnings, failures } = recordingTelemetry();
    const log = new EventLog(
      {
        publish: ((event: DomainEvent) => {
          if (event.type === 'challenge.created') throw new TypeError('bus client not ready');
          return Promise.reject(Object.assign(new Error('denied'), { name: 'AccessDeniedException' }));
        }) as (event: DomainEvent) => Promise<void>,
      },
      new ManualClock(T0),
      random,
      telemetry,
      { wait: async () => undefined },
    );
    expect(() => log.emit('challenge.created', challenge)).not.toThrow();
    expect(() => log.emit('challenge.approved', { ...challenge, attempts: 1 })).not.toThrow();
    await expect(log.settled()).resolves.toBeUndefined();
    expect(failures()).toEqual(['event-publish', 'event-publish']);
    expect(warnings.map((w) => w.fields.error)).toEqual(['TypeError', 'AccessDeniedException']);
    // Error messages may echo values: only names reach the log.
    expect(JSON.stringify(warnings)).not.toMatch(/denied|not ready/);
  });

  it('a guard that throws counts as the guard failing; nothing is published', async () => {
    const published: string[] = [];
    const { telemetry, failures } = recordingTelemetry();
    const log = new EventLog(
      { publish: async (event) => void published.push(event.type) },
      new ManualClock(T0),
      random,
      telemetry,
      {
        guard: () => {
          throw new RangeError('too deep');
        },
      },
    );
    expect(() => log.emit('challenge.created', challenge)).not.toThrow();
    await log.settled();
    expect(published).toEqual([]);
    expect(failures()).toEqual(['event-guard']);
  });
});

describe('SendRecorder: send records and receipt pointers', () => {
  const sent = (providerMessageId?: string) =>
    newEvent(
      'code.sent',
      {
        ...challenge,
        gatewayId: 'gw_1',
        gatewayType: 'twilio',
        attempt: 1,
        outcome: 'accepted',
        ...(providerMessageId ? { providerMessageId } : {}),
      },
      new ManualClock(T0),
      random,
    );

  it('each failure has its own kind; the publication goes on and nothing is thrown', async () => {
    const { telemetry, failures, warnings } = recordingTelemetry();
    const published: string[] = [];
    const recorder = new SendRecorder(
      { publish: async (event) => void published.push(event.type) },
      {
        recordSend: async () => {
          throw new Error('ProvisionedThroughputExceededException');
        },
        recordMessage: async () => {
          throw new Error('ValidationException');
        },
        recordEnd: async () => undefined,
      },
      telemetry,
    );
    await expect(recorder.publish(sent('SM123'))).resolves.toBeUndefined();
    expect(published).toEqual(['code.sent']);
    expect(failures().sort()).toEqual(['receipt-pointer', 'send-record']);
    expect(warnings.every((w) => w.fields.challengeId === 'ch_1' && !('userId' in w.fields))).toBe(true);
  });

  it('writes the send and its pointer when both work; no pointer without a provider message id', async () => {
    const { telemetry, failures } = recordingTelemetry();
    const writes: string[] = [];
    const recorder = new SendRecorder(
      { publish: async () => undefined },
      {
        recordSend: async (_store, challengeId) => void writes.push(`send ${challengeId}`),
        recordMessage: async (ref) => void writes.push(`pointer ${ref.providerMessageId} ${ref.userId}`),
        recordEnd: async () => undefined,
      },
      telemetry,
    );
    await recorder.publish(sent('SM123'));
    await recorder.publish(sent());
    expect(writes).toEqual(['send ch_1', 'pointer SM123 1765044228000', 'send ch_1']);
    expect(failures()).toEqual([]);
  });
});

describe('reliableTelemetry: metrics never fail the caller', () => {
  it('a metric that cannot be recorded is counted as SideEffectFailed(metrics) and logged', () => {
    const { telemetry, counts, warnings, failures } = recordingTelemetry((m) => m === 'CodeSent');
    const reliable = reliableTelemetry(telemetry);
    expect(() => reliable.count('CodeSent', { purpose: 'enroll' })).not.toThrow();
    reliable.count('VerificationApproved');
    expect(counts.map((c) => c.metric)).toEqual([SIDE_EFFECT_FAILED, 'VerificationApproved']);
    expect(failures()).toEqual(['metrics']);
    expect(warnings[0]?.fields).toMatchObject({ kind: 'metrics', metric: 'CodeSent', error: 'RangeError' });
  });

  it('when SideEffectFailed itself cannot be recorded, the failure is still logged and nothing throws', () => {
    const { telemetry, warnings } = recordingTelemetry(() => true);
    const reliable = reliableTelemetry(telemetry);
    expect(() => reliable.timing('ProviderLatency', 12)).not.toThrow();
    expect(() => reliable.percent('BudgetUsedPercent', 80)).not.toThrow();
    expect(() => reliable.count(SIDE_EFFECT_FAILED, { kind: 'metrics' })).not.toThrow();
    expect(warnings.map((w) => w.fields.metric)).toEqual(['ProviderLatency', 'BudgetUsedPercent']);
    const throwingLog = reliableTelemetry({
      ...telemetry,
      warn: () => {
        throw new Error('stdout closed');
      },
    });
    expect(() => throwingLog.count('CodeSent')).not.toThrow();
  });
});

describe('userIdProblem: one rule for every user id', () => {
  it('accepts any 1..128 code points without /', () => {
    for (const id of [
      '1',
      '0',
      '12345',
      '+447400123456',
      'a@b.c',
      'Иван',
      '用户',
      'a\u0000b',
      '😀'.repeat(128),
    ])
      expect(userIdProblem(id), JSON.stringify(id)).toBeUndefined();
  });

  it('refuses empty, 129 code points, a /, and a lone surrogate', () => {
    expect(userIdProblem('')).toBeDefined();
    expect(userIdProblem('😀'.repeat(129))).toMatch(/128/);
    expect(userIdProblem('u'.repeat(129))).toMatch(/128/);
    expect(userIdProblem('a/b')).toMatch(/\//);
    expect(userIdProblem('a\ud800b')).toMatch(/well-formed/);
  });
});
