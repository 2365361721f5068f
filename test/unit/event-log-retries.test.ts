import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { EventBridgePublisher } from '../../shared/adapters/events/eventbridge-publisher.ts';
import { EventLog, PUBLISH_RETRY_DELAYS_MS } from '../../shared/domain/events/event-log.ts';
import type { Telemetry } from '../../shared/ports/telemetry.ts';
import { ManualClock } from '../support/manual-clock.ts';

const eventBridge = mockClient(EventBridgeClient);
afterAll(() => eventBridge.restore());

let seq = 0;
const random = { bytes: (n: number) => Buffer.alloc(n, seq++ % 256), int: (max: number) => seq++ % max };

function harness() {
  const counted: string[] = [];
  const waits: number[] = [];
  const telemetry: Telemetry = {
    count: (metric) => void counted.push(metric),
    timing: () => undefined,
    percent: () => undefined,
    warn: () => undefined,
  };
  const log = new EventLog(
    new EventBridgePublisher(async () => new EventBridgeClient({}), 'sms-mfa-test'),
    new ManualClock(Date.UTC(2026, 11, 6, 20)),
    random,
    telemetry,
    { wait: async (ms) => void waits.push(ms) },
  );
  // What a challenge's expiry report emits once its challenge is marked: there is no second chance.
  const expired = () =>
    log.emit('challenge.failed', { storeId: 'ids_1', challengeId: 'ch_1', reason: 'expired' });
  const sentIds = () =>
    eventBridge
      .commandCalls(PutEventsCommand)
      .map((call) => (JSON.parse(call.args[0].input.Entries?.[0]?.Detail ?? '{}') as { id: string }).id);
  return { log, expired, counted, waits, sentIds };
}

beforeEach(() => eventBridge.reset());

describe('EventLog retries a publication the bus did not take', () => {
  it('publishes again after PutEvents fails, the same event (same id), after the first delay', async () => {
    eventBridge
      .on(PutEventsCommand)
      .rejectsOnce(new Error('ServiceUnavailable'))
      .resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'e-1' }] });
    const { log, expired, counted, waits, sentIds } = harness();
    expired();
    await log.settled();
    const ids = sentIds();
    expect(ids).toHaveLength(2);
    expect(ids[1]).toBe(ids[0]);
    expect(waits).toEqual([PUBLISH_RETRY_DELAYS_MS[0]]);
    expect(counted).toEqual(['EventPublishRetried']);
  });

  it('publishes again when PutEvents answers with FailedEntryCount > 0', async () => {
    eventBridge
      .on(PutEventsCommand)
      .resolvesOnce({ FailedEntryCount: 1, Entries: [{ ErrorCode: 'ThrottlingException' }] })
      .resolvesOnce({ FailedEntryCount: 1, Entries: [{ ErrorCode: 'InternalFailure' }] })
      .resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'e-1' }] });
    const { log, expired, counted, waits, sentIds } = harness();
    expired();
    await log.settled();
    expect(sentIds()).toHaveLength(3);
    expect(waits).toEqual([...PUBLISH_RETRY_DELAYS_MS]);
    expect(counted).not.toContain('SideEffectFailed');
  });

  it('gives up after the retries, counts the loss and never throws into the use case', async () => {
    eventBridge.on(PutEventsCommand).rejects(new Error('bus down'));
    const { log, expired, counted, sentIds } = harness();
    expired();
    await expect(log.settled()).resolves.toBeUndefined();
    expect(sentIds()).toHaveLength(PUBLISH_RETRY_DELAYS_MS.length + 1);
    expect(counted.at(-1)).toBe('SideEffectFailed');
  });

  it('publishes once when the bus takes it', async () => {
    eventBridge.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'e-1' }] });
    const { log, expired, waits, sentIds } = harness();
    expired();
    await log.settled();
    expect(sentIds()).toHaveLength(1);
    expect(waits).toEqual([]);
  });
});
