import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { EventData } from '../../shared/domain/events/event-types.ts';
import type { DomainEvent, EventPublisher } from '../../shared/ports/events.ts';
import { readConfig } from '../../shared/runtime/config.ts';
import { createContext, useContext, type ContextParts } from '../../shared/runtime/context.ts';
import { audited } from '../../shared/runtime/wiring/event-publishing.ts';
import { events } from '../../shared/runtime/wiring/events.ts';
import { settleEvents } from '../../shared/runtime/event-hooks.ts';
import { eventLog } from '../../shared/runtime/wiring/event-log.ts';
import { failover } from '../../shared/runtime/wiring/failover.ts';
import { routing } from '../../shared/runtime/wiring/routing.ts';
import { usage } from '../../shared/runtime/wiring/usage.ts';
import { localContext } from '../../local/local-context.ts';

/**
 * The event publisher's local-only wrappers (usage ledger, routing statistics, failover's deadline
 * timers) are strategies whose local implementation the local context hands in: a deployed function
 * neither builds nor bundles them (test/cdk/bundles.test.ts checks the bundles).
 */

const dataDir = () => mkdtempSync(join(tmpdir(), 'sms-mfa-strategies-'));
const deployedConfig = () =>
  readConfig({ TABLE_NAME: 'unit-tests', SECRET_STORE: 'file', DATA_DIR: dataDir() });
const localConfig = () =>
  readConfig({ TABLE_NAME: 'unit-tests', SECRET_STORE: 'file', DATA_DIR: dataDir(), LOCAL_MODE: 'true' });

/** An event the send records ignore: deployed, nothing is written anywhere. */
const created: EventData = { storeId: 'ids_1', challengeId: 'ch_1' };

/** Wrappers that record what reaches them; the deadline watch stops there (nothing is written). */
function spies() {
  const seen = {
    fed: [] as DomainEvent[],
    watched: [] as DomainEvent[],
    innerOfFeeds: [] as EventPublisher[],
  };
  const watchPublisher: EventPublisher = {
    publish: async (event) => void seen.watched.push(event),
  };
  const parts: ContextParts = {
    deadlineWatch: () => watchPublisher,
    eventFeeds: (_ctx, inner) => {
      seen.innerOfFeeds.push(inner);
      return {
        publish: async (event) => {
          seen.fed.push(event);
          await inner.publish(event);
        },
      };
    },
  };
  return { seen, parts, watchPublisher };
}

afterEach(() => useContext(undefined));

describe('the event publisher by strategy', () => {
  it('locally: the deadline watch wraps the send records, the feeds wrap the watch, each event goes through both', async () => {
    const { seen, parts, watchPublisher } = spies();
    const ctx = localContext(parts, localConfig());
    expect(ctx.strategies).toMatchObject({ eventFeeds: 'in-process', rerouteJobs: 'timers' });
    const { log } = events(ctx);
    log.emit('challenge.created', created);
    await log.settled();
    expect(seen.innerOfFeeds).toEqual([watchPublisher]);
    expect(seen.fed.map((e) => e.type)).toEqual(['challenge.created']);
    expect(seen.watched).toEqual(seen.fed);
  });

  it('the local context hands in every local implementation', () => {
    const { parts } = localContext({}, localConfig());
    expect(parts.eventsFile).toBeTypeOf('function');
    expect(parts.eventFeeds).toBeTypeOf('function');
    expect(parts.deadlineWatch).toBeTypeOf('function');
  });

  it('deployed: neither wrapper runs, even when handed in, and usage, routing and failover are never built', async () => {
    const { seen, parts } = spies();
    const ctx = createContext(deployedConfig(), parts);
    expect(ctx.strategies).toMatchObject({ eventFeeds: 'table-stream', rerouteJobs: 'unavailable' });
    const { log } = events(ctx);
    log.emit('challenge.created', created);
    await log.settled();
    expect(seen.fed).toEqual([]);
    expect(seen.watched).toEqual([]);
    expect(seen.innerOfFeeds).toEqual([]);
    expect(usage.built(ctx)).toBeUndefined();
    expect(routing.built(ctx)).toBeUndefined();
    expect(failover.built(ctx)).toBeUndefined();
  });

  it('an audited write builds the log without its send side; a later send builds it, and the same log then publishes through it', async () => {
    const { seen, parts } = spies();
    const filed: DomainEvent[] = [];
    let files = 0;
    const eventsFile = () => {
      files += 1;
      return { publish: async (event: DomainEvent) => void filed.push(event) };
    };
    const ctx = localContext({ ...parts, eventsFile }, localConfig());
    useContext(ctx);
    audited(ctx, {});
    const log = eventLog(ctx);
    log.emit('admin.api-key.created', { keyId: 'key_1' });
    await settleEvents();
    // The feeds (every event) saw it; the deadline watch around the send records was never built.
    expect(seen.fed.map((e) => e.type)).toEqual(['admin.api-key.created']);
    expect(filed.map((e) => e.type)).toEqual(['admin.api-key.created']);
    expect(seen.watched).toEqual([]);
    expect(events(ctx).log).toBe(log);
    log.emit('challenge.created', created);
    await settleEvents();
    expect(seen.fed.map((e) => e.type)).toEqual(['admin.api-key.created', 'challenge.created']);
    expect(seen.watched.map((e) => e.type)).toEqual(['challenge.created']);
    // Each event went through one chain (the watch stands in for the send side and stops there), and the
    // two chains share the one events-file publisher.
    expect(seen.innerOfFeeds).toHaveLength(2);
    expect(filed.map((e) => e.type)).toEqual(['admin.api-key.created']);
    expect(files).toBe(1);
  });

  it('local mode without the local context: a clear error naming the missing part, not a silent gap', () => {
    const { parts } = spies();
    const eventsFile = () => ({ publish: async () => undefined });
    expect(() => events(createContext(localConfig()))).toThrow(/eventsFile.*local-context/);
    expect(() => events(createContext(localConfig(), { eventsFile }))).toThrow(
      /deadlineWatch.*local-context/,
    );
    expect(() =>
      events(createContext(localConfig(), { eventsFile, deadlineWatch: parts.deadlineWatch })),
    ).toThrow(/eventFeeds.*local-context/);
  });
});
