import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientFor } from '../support/client.ts';
import { captureLogs } from '../support/log-capture.ts';
import { startTestServer, type TestServer } from '../support/local-server.ts';

/**
 * api.md "User ids in logs": the lines a request naming a user writes carry that user's `userRef`, the
 * one the support page shows, and no line carries the `userId` itself.
 */
let server: TestServer;
let logs: { output: string[]; stop: () => void };

beforeAll(async () => {
  server = await startTestServer();
  logs = captureLogs();
});
afterAll(async () => {
  logs.stop();
  await server.stop();
});

interface LogLine {
  message?: string;
  status?: number;
  slug?: string;
  userRef?: string;
}

/** The JSON log lines written while `run` ran. */
async function linesOf(run: () => Promise<unknown>): Promise<LogLine[]> {
  const from = logs.output.length;
  await run();
  return logs.output
    .slice(from)
    .join('')
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as LogLine);
}

const refusals = (lines: LogLine[]) => lines.filter((line) => line.message === 'request refused');

describe('log lines of requests that name a user', () => {
  it('carry the userRef the support page shows for that user, and never the userId', async () => {
    // Distinctive in any encoding a line could hold it in: raw, URL-encoded, JSON-escaped.
    const userId = `Ünïcødé·用户·🦊·${randomUUID().slice(0, 8)}`;
    const other = `другой·${randomUUID().slice(0, 8)}`;
    const client = await clientFor(server);
    const path = (id: string) => `/v1/users/${encodeURIComponent(id)}/sms-factor`;

    // Judged by the handler: nothing to remove (404).
    const removal = await linesOf(async () => {
      const answer = await client.call('DELETE', path(userId));
      expect(answer.status, answer.text).toBe(404);
    });
    // Judged by validation, before the handler: the number is no number (400).
    const invalid = await linesOf(async () => {
      const answer = await client.call('PUT', path(userId), { phoneNumber: 'not a phone' });
      expect(answer.status, answer.text).toBe(400);
    });
    const otherUser = await linesOf(async () => {
      const answer = await client.call('PUT', path(other), { phoneNumber: 'not a phone' });
      expect(answer.status, answer.text).toBe(400);
    });
    // No user named: the previous request's reference must not stay on the logger.
    const noUser = await linesOf(async () => {
      const answer = await client.call('POST', '/v1/challenges/ch_none/cancel');
      expect(answer.status, answer.text).toBe(404);
    });

    const page = await server.admin(
      'GET',
      `/admin/identity-stores/${client.storeId}/users/${encodeURIComponent(userId)}`,
    );
    expect(page.status, page.text).toBe(200);
    const { userRef } = page.body as { userRef: string };
    expect(userRef).toMatch(/^[0-9a-f]{16}$/);

    expect(refusals(removal)).toEqual([expect.objectContaining({ status: 404, userRef })]);
    expect(refusals(invalid)).toEqual([expect.objectContaining({ status: 400, userRef })]);
    const [otherLine] = refusals(otherUser);
    expect(otherLine?.userRef).toMatch(/^[0-9a-f]{16}$/);
    expect(otherLine?.userRef).not.toBe(userRef);
    expect(refusals(noUser)).toHaveLength(1);
    expect(refusals(noUser)[0]).not.toHaveProperty('userRef');

    const everything = logs.output.join('');
    for (const form of [userId, other, encodeURIComponent(userId), JSON.stringify(userId).slice(1, -1)]) {
      expect(everything).not.toContain(form);
    }
    expect(everything).not.toContain('🦊');
  });
});
