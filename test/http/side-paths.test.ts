import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createDocumentClient } from '../../shared/adapters/dynamodb/document-client.ts';
import {
  SIDE_EFFECT_FAILED,
  SIDE_EFFECT_KINDS,
  type SideEffectKind,
} from '../../shared/domain/side-effects.ts';
import { powertoolsTelemetry } from '../../shared/observability/powertools-telemetry.ts';
import type { Telemetry } from '../../shared/ports/telemetry.ts';
import { useLocalContext } from '../../local/local-context.ts';
import { clientFor, lastCode, mobileNumber } from '../support/client.ts';
import { captureLogs } from '../support/log-capture.ts';
import { startTestServer, type TestServer } from '../support/local-server.ts';
import { startWebhookReceiver } from '../support/webhook-receiver.ts';

/**
 * api.md "Side paths never fail a request" over HTTP: with each side path failing every time (local
 * mode's FAULTS switch), an enrollment, its verify, a sign-in challenge and its verify, and the admin
 * writes around them all get their documented answers; the failure is logged (without the user id) and
 * counted as SideEffectFailed with its kind; and the other side paths still do their work.
 */

/** An id of the shape issue 23 saw fail: a run of 13 digits. */
const USER_ID = 'victim-0-1765044228000';

let server: TestServer;
let logs: { output: string[]; stop: () => void };
const documents = () => createDocumentClient({ endpoint: server.dynamoDbEndpoint });

beforeAll(async () => {
  server = await startTestServer();
  logs = captureLogs();
});
afterAll(async () => {
  logs.stop();
  await server.stop();
});
afterEach(() => {
  delete process.env.FAULTS;
  useLocalContext();
});

/** Counts what the services count (and logs what they log, through Powertools as deployed). */
function recordingTelemetry() {
  const failures: { kind: string }[] = [];
  const telemetry: Telemetry = {
    count: (metric, dimensions) => {
      if (metric === SIDE_EFFECT_FAILED) failures.push({ kind: dimensions?.kind ?? '' });
    },
    timing: () => undefined,
    percent: () => undefined,
    warn: (message, fields) => powertoolsTelemetry.warn(message, fields),
  };
  return { telemetry, kinds: () => new Set(failures.map((f) => f.kind)) };
}

/** Services built with these side paths failing every time. */
function withFaults(kinds: readonly SideEffectKind[]) {
  const recorder = recordingTelemetry();
  process.env.FAULTS = kinds.join(',');
  useLocalContext({ telemetry: recorder.telemetry });
  delete process.env.FAULTS;
  return recorder;
}

async function storeEvents(storeId: string) {
  const text = await readFile(join(server.dataDir, 'events.jsonl'), 'utf8').catch(() => '');
  return text
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as { type: string; data: Record<string, unknown> })
    .filter((event) => event.data.storeId === storeId);
}

async function until(done: () => boolean, what: string) {
  const end = Date.now() + 15_000;
  while (!done()) {
    if (Date.now() > end) throw new Error(`not seen: ${what}`);
    await new Promise((ok) => setTimeout(ok, 25));
  }
}

/**
 * The whole journey, each answer checked against its documented status, with a webhook on the store.
 * Returns what the side paths should have produced.
 */
async function journey() {
  const receiver = await startWebhookReceiver();
  const client = await clientFor(server);
  const hooked = await server.admin('POST', `/admin/identity-stores/${client.storeId}/webhooks`, {
    url: receiver.url,
  });
  expect(hooked.status, hooked.text).toBe(201);
  const user = `/v1/users/${USER_ID}`;
  const phone = mobileNumber();
  const enrolled = await client.call('PUT', `${user}/sms-factor`, { phoneNumber: phone });
  expect(enrolled.status, enrolled.text).toBe(202);
  const activated = await client.call('POST', `/v1/challenges/${enrolled.body.challenge.id}/verify`, {
    code: await lastCode(server, phone),
  });
  expect(activated.status, activated.text).toBe(200);
  expect(activated.body).toMatchObject({ status: 'approved', userId: USER_ID });
  const challenge = await client.call('POST', `${user}/sms-factor/challenges`);
  expect(challenge.status, challenge.text).toBe(201);
  const approved = await client.call('POST', `/v1/challenges/${challenge.body.id}/verify`, {
    code: await lastCode(server, phone),
  });
  expect(approved.status, approved.text).toBe(200);
  const history = await server.admin(
    'GET',
    `/admin/identity-stores/${client.storeId}/challenges/${challenge.body.id}`,
  );
  expect(history.status, history.text).toBe(200);
  const sends = history.body.sends as { gatewayId: string; providerMessageId: string | null }[];
  const pointers = await Promise.all(
    sends.map(async (send) => {
      const found = await documents().send(
        new GetCommand({
          TableName: server.tableName,
          Key: { pk: `SMSMSG#${send.gatewayId}#${send.providerMessageId}`, sk: 'MESSAGE' },
        }),
      );
      return found.Item;
    }),
  );
  return { client, receiver, sends, pointers, events: await storeEvents(client.storeId) };
}

const failureLines = (kind: string) =>
  logs.output
    .join('')
    .split('\n')
    .filter((line) => line.includes('side effect failed') && line.includes(`"kind":"${kind}"`));

describe('with no fault, every side path does its work (the baseline the faults are judged against)', () => {
  it('events, webhooks, send records and receipt pointers; nothing counted as failed', async () => {
    const recorder = withFaults([]);
    const { receiver, sends, pointers, events } = await journey();
    try {
      expect(events.map((e) => e.type)).toContain('challenge.approved');
      expect(events.filter((e) => !e.type.startsWith('admin.')).every((e) => e.data.userId === USER_ID)).toBe(
        true,
      );
      await receiver.until((got) => got.some((r) => r.json.type === 'factor.activated'));
      expect(sends).toHaveLength(1);
      expect(pointers.every(Boolean)).toBe(true);
      expect(recorder.kinds()).toEqual(new Set());
    } finally {
      await receiver.stop();
    }
  });
});

describe('each side path failing, the answers stand', () => {
  it('event-publish: no event reaches events.jsonl or the webhook; send records and pointers are written', async () => {
    const recorder = withFaults(['event-publish']);
    const { receiver, sends, pointers, events } = await journey();
    try {
      expect(events).toEqual([]);
      expect(sends).toHaveLength(1);
      expect(pointers.every(Boolean)).toBe(true);
      expect(recorder.kinds()).toEqual(new Set(['event-publish']));
      expect(receiver.received).toEqual([]);
    } finally {
      await receiver.stop();
    }
  });

  it('webhook-dispatch: events are in events.jsonl, the webhook gets nothing', async () => {
    const recorder = withFaults(['webhook-dispatch']);
    const { receiver, events } = await journey();
    try {
      expect(events.map((e) => e.type)).toContain('factor.activated');
      await until(() => recorder.kinds().has('webhook-dispatch'), 'the dispatch failure counted');
      expect(recorder.kinds()).toEqual(new Set(['webhook-dispatch']));
      expect(receiver.received).toEqual([]);
    } finally {
      await receiver.stop();
    }
  });

  it('metrics: every business metric fails; events and records are all there', async () => {
    const recorder = withFaults(['metrics']);
    const { receiver, sends, events } = await journey();
    try {
      expect(events.map((e) => e.type)).toContain('challenge.approved');
      expect(sends).toHaveLength(1);
      expect(recorder.kinds()).toEqual(new Set(['metrics']));
      expect(failureLines('metrics').some((line) => line.includes('"metric":"CodeSent"'))).toBe(true);
    } finally {
      await receiver.stop();
    }
  });

  it('send-record: the history shows no send; its receipt pointer and the events are written', async () => {
    const recorder = withFaults(['send-record']);
    const { receiver, sends, events } = await journey();
    try {
      expect(sends).toEqual([]);
      const sent = events.filter((e) => e.type === 'code.sent');
      expect(sent.length).toBeGreaterThanOrEqual(2);
      const pointer = await documents().send(
        new GetCommand({
          TableName: server.tableName,
          Key: { pk: `SMSMSG#${sent[1]!.data.gatewayId}#${sent[1]!.data.providerMessageId}`, sk: 'MESSAGE' },
        }),
      );
      expect(pointer.Item).toMatchObject({ challengeId: sent[1]!.data.challengeId, userId: USER_ID });
      expect(recorder.kinds()).toEqual(new Set(['send-record']));
    } finally {
      await receiver.stop();
    }
  });

  it('receipt-pointer: the send is in the history, its pointer is not', async () => {
    const recorder = withFaults(['receipt-pointer']);
    const { receiver, sends, pointers } = await journey();
    try {
      expect(sends).toHaveLength(1);
      expect(sends[0]!.providerMessageId).toMatch(/^console-/);
      expect(pointers).toEqual([undefined]);
      expect(recorder.kinds()).toEqual(new Set(['receipt-pointer']));
    } finally {
      await receiver.stop();
    }
  });

  it('usage-counter: the answers stand, the ledger misses the journey, the history has it', async () => {
    const recorder = withFaults(['usage-counter']);
    const { client, receiver, sends } = await journey();
    try {
      expect(sends).toHaveLength(1);
      const usage = await server.admin('GET', `/admin/identity-stores/${client.storeId}/usage`);
      expect(usage.status).toBe(200);
      expect(usage.body.totals).toMatchObject({ sends: 0, challenges: 0, approved: 0 });
      expect(recorder.kinds()).toEqual(new Set(['usage-counter']));
    } finally {
      await receiver.stop();
    }
  });

  it('event-guard refusing every event: none is emitted, so none is published, dispatched or recorded', async () => {
    const recorder = withFaults(['event-guard']);
    const { receiver, sends, events } = await journey();
    try {
      expect(events).toEqual([]);
      // The send record is written from the code.sent publication, which the refusal stops too.
      expect(sends).toEqual([]);
      expect(recorder.kinds()).toEqual(new Set(['event-guard']));
      expect(receiver.received).toEqual([]);
    } finally {
      await receiver.stop();
    }
  });

  it('all of them at once', async () => {
    const recorder = withFaults(SIDE_EFFECT_KINDS);
    const { receiver } = await journey();
    try {
      // The guard refuses first, so nothing is published, dispatched or recorded.
      expect(recorder.kinds()).toEqual(new Set(['event-guard', 'metrics']));
    } finally {
      await receiver.stop();
    }
  });
});

describe('the failures are logged', () => {
  it('one line per kind, with the kind and the event type, never the user id', () => {
    for (const kind of SIDE_EFFECT_KINDS) {
      const lines = failureLines(kind);
      expect(lines.length, kind).toBeGreaterThan(0);
      for (const line of lines) {
        const parsed = JSON.parse(line) as Record<string, unknown>;
        expect(parsed).toMatchObject({ level: 'WARN', kind });
        expect(line).not.toContain(USER_ID);
        expect(line).not.toContain('1765044228000');
      }
    }
    expect(
      failureLines('event-publish').some((line) => line.includes('"eventType":"challenge.created"')),
    ).toBe(true);
  });
});
