import { describe, expect, it } from 'vitest';
import { requestArrival, withArrival } from '../../shared/domain/sending/arrival.ts';
import { Deadline, PROVIDER_BUDGET_MS, SEND_DEADLINE_MS } from '../../shared/domain/sending/deadline.ts';
import { buildHttpHandler } from '../../shared/http/http-handler.ts';
import { defineOperation } from '../../shared/operations/operation.ts';
import { invoke } from '../support/api-event.ts';

/** A clock that says it is `now` (epoch ms), whatever the real time. */
const clockAt = (now: number) => ({ now: () => new Date(now) });

/** api.md "Wave 3: exact rules": the deadline runs from the request's arrival, not the first provider call. */
describe('Deadline', () => {
  it('counts what passed since the arrival as spent', () => {
    const deadline = new Deadline(10_000, { at: 50_000, clock: clockAt(54_000) });
    expect(deadline.remainingMs()).toBeLessThanOrEqual(6_000);
    expect(deadline.remainingMs()).toBeGreaterThan(5_900);
    expect(deadline.signal.aborted).toBe(false);
    deadline.end();
  });

  it('is over at once when the request arrived longer ago than the budget', () => {
    const deadline = new Deadline(PROVIDER_BUDGET_MS, { at: 0, clock: clockAt(SEND_DEADLINE_MS) });
    expect(deadline.remainingMs()).toBe(0);
    expect(deadline.signal.aborted).toBe(true);
    deadline.end();
  });

  it('takes the arrival of the request it is made in, across awaits', async () => {
    const arrival = { at: 1_000, clock: clockAt(3_500) };
    const remaining = await withArrival(arrival, async () => {
      await Promise.resolve();
      const deadline = new Deadline(5_000);
      deadline.end();
      return deadline.remainingMs();
    });
    // end() aborts but keeps the budget it was made with.
    expect(remaining).toBeLessThanOrEqual(2_500);
    expect(remaining).toBeGreaterThan(2_400);
  });

  it('gives work that outlives the answer its own budget', async () => {
    let fromTask: Promise<number> | undefined;
    await withArrival({ at: 0, clock: clockAt(60_000) }, async () => {
      expect(requestArrival()).toBeDefined();
      // A task the request starts inherits its context, and runs after the answer.
      fromTask = new Promise((resolve) =>
        setImmediate(() => {
          const deadline = new Deadline(5_000);
          deadline.end();
          resolve(deadline.remainingMs());
        }),
      );
    });
    expect(await fromTask).toBeGreaterThan(4_900);
  });
});

describe('HTTP handlers', () => {
  const probe = defineOperation({
    id: 'probeDeadline',
    method: 'POST',
    path: '/probe',
    auth: 'none',
    access: [],
    summary: 'Reports the budget a send would have',
    status: 200,
    problems: [],
  });
  const handler = buildHttpHandler(probe, async () => {
    const deadline = new Deadline();
    deadline.end();
    return { body: { remainingMs: deadline.remainingMs() } };
  });
  const arrivedAgo = (ms: number) =>
    invoke(handler, {
      requestContext: {
        ...apiContext(),
        timeEpoch: Date.now() - ms,
      },
    });

  it("start a send's deadline at API Gateway's timeEpoch", async () => {
    const answer = await arrivedAgo(4_000);
    expect(answer.status).toBe(200);
    expect(answer.body.remainingMs).toBeLessThanOrEqual(PROVIDER_BUDGET_MS - 4_000);
    expect(answer.body.remainingMs).toBeGreaterThan(PROVIDER_BUDGET_MS - 5_000);
  });

  it('leave no time to a request that waited past the deadline', async () => {
    const answer = await arrivedAgo(SEND_DEADLINE_MS);
    expect(answer.body.remainingMs).toBe(0);
  });
});

function apiContext() {
  return {
    accountId: 'test',
    apiId: 'test',
    domainName: 'test',
    domainPrefix: 'test',
    http: { method: 'POST', path: '/probe', protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'test' },
    requestId: 'r1',
    routeKey: 'POST /probe',
    stage: '$default',
    time: '',
    timeEpoch: Date.now(),
  };
}
