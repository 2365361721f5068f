import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import type { Telemetry } from '../../shared/ports/telemetry.ts';
import { readConfig } from '../../shared/runtime/config.ts';
import { createContext } from '../../shared/runtime/context.ts';
import { eventLog } from '../../shared/runtime/wiring/event-log.ts';
import { buildEventLog } from '../../shared/runtime/wiring/event-publishing.ts';

function recordingTelemetry() {
  const counts: { metric: string; dimensions?: Record<string, string> }[] = [];
  const warnings: Record<string, string>[] = [];
  const telemetry: Telemetry = {
    count: (metric, dimensions) => counts.push({ metric, dimensions }),
    timing: () => undefined,
    percent: () => undefined,
    warn: (_message, fields) => warnings.push(fields),
  };
  return { telemetry, counts, warnings };
}

const config = () => readConfig({ TABLE_NAME: 'unit-tests', SECRET_STORE: 'file', DATA_DIR: tmpdir() });

describe('the event log a feature reads from the context (wiring/event-log.ts)', () => {
  it('says so when an event is emitted in a function whose features built no log', () => {
    const { telemetry, counts, warnings } = recordingTelemetry();
    const ctx = createContext(config(), { telemetry });
    eventLog(ctx).emit('code.rerouted', { storeId: 'store-1', challengeId: 'ch-1', userId: 'never logged' });
    expect(counts).toEqual([{ metric: 'SideEffectFailed', dimensions: { kind: 'event-publish' } }]);
    expect(warnings).toEqual([
      {
        kind: 'event-publish',
        error: 'NoEventLog',
        eventType: 'code.rerouted',
        storeId: 'store-1',
        challengeId: 'ch-1',
      },
    ]);
  });

  it('is the built log once a feature built it: nothing is reported', () => {
    const { telemetry, counts } = recordingTelemetry();
    const ctx = createContext(config(), { telemetry });
    const log = buildEventLog(ctx);
    expect(eventLog(ctx)).toBe(log);
    expect(counts).toEqual([]);
  });
});
