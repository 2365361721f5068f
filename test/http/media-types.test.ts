import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientFor, mobileNumber, outbox } from '../support/client.ts';
import { startTestServer, type TestServer } from '../support/local-server.ts';
import { expectProblem } from '../support/problems.ts';

/**
 * api.md "Media types" and "Wave 3: exact rules": a body on `/admin` and `/v1` is JSON by its
 * Content-Type, else 415 with nothing written or sent; authentication is judged first, the body last.
 */
let server: TestServer;
let client: Awaited<ReturnType<typeof clientFor>>;
beforeAll(async () => {
  server = await startTestServer();
  client = await clientFor(server);
});
afterAll(() => server.stop());

/** A raw request: `type` undefined sends no Content-Type at all (a byte body gets none from fetch). */
async function raw(path: string, authorization: string, body: string, type: string | undefined) {
  const response = await fetch(`${server.url}${path}`, {
    method: 'POST',
    headers: { authorization, ...(type === undefined ? {} : { 'content-type': type }) },
    body: new TextEncoder().encode(body),
  });
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    text,
    body: text ? JSON.parse(text) : undefined,
  };
}

const admin = () => `Bearer ${server.adminToken}`;
const REFUSED_TYPES: [string, string | undefined][] = [
  ['text/plain', 'text/plain'],
  ['no Content-Type', undefined],
  ['form encoding', 'application/x-www-form-urlencoded'],
  ['XML', 'application/xml'],
  ['multipart', 'multipart/form-data; boundary=x'],
];

describe('an admin write', () => {
  it.each(REFUSED_TYPES)('with %s and a JSON body is 415, and nothing is written', async (_, type) => {
    const name = `Media ${Math.random().toString(36).slice(2)}`;
    const answer = await raw('/admin/identity-stores', admin(), JSON.stringify({ name }), type);
    expectProblem(answer, 415, 'unsupported-media-type');
    const stores = await server.admin('GET', '/admin/identity-stores');
    expect(stores.body.items.map((store: { name: string }) => store.name)).not.toContain(name);
  });

  it('with application/json; charset=utf-8 is accepted', async () => {
    const name = `Media ${Math.random().toString(36).slice(2)}`;
    const answer = await raw(
      '/admin/identity-stores',
      admin(),
      JSON.stringify({ name }),
      'application/json; charset=utf-8',
    );
    expect(answer.status, answer.text).toBe(201);
  });

  it('with a +json type is accepted', async () => {
    const answer = await raw(
      '/admin/identity-stores',
      admin(),
      JSON.stringify({ name: `Media ${Math.random().toString(36).slice(2)}` }),
      'application/merge-patch+json',
    );
    expect(answer.status, answer.text).toBe(201);
  });

  it('judges the type before the body: bad JSON as text/plain is 415', async () => {
    expectProblem(
      await raw('/admin/identity-stores', admin(), '{not json', 'text/plain'),
      415,
      'unsupported-media-type',
    );
  });
});

describe('a /v1 send', () => {
  it.each(REFUSED_TYPES)('with %s and a JSON body is 415, and nothing is sent', async (_, type) => {
    const phone = mobileNumber();
    const answer = await raw(
      '/v1/verifications',
      `Bearer ${client.key}`,
      JSON.stringify({ phoneNumber: phone }),
      type,
    );
    expectProblem(answer, 415, 'unsupported-media-type');
    expect((await outbox(server)).filter((message) => message.to === phone)).toEqual([]);
  });

  it('with application/json; charset=utf-8 is sent', async () => {
    const phone = mobileNumber();
    const answer = await raw(
      '/v1/verifications',
      `Bearer ${client.key}`,
      JSON.stringify({ phoneNumber: phone }),
      'application/json; charset=utf-8',
    );
    expect(answer.status, answer.text).toBe(201);
    expect((await outbox(server)).filter((message) => message.to === phone)).toHaveLength(1);
  });

  it('without a valid key is 401 before the type is judged', async () => {
    const answer = await raw(
      '/v1/verifications',
      'Bearer nope',
      '{"phoneNumber":"+447400123456"}',
      'text/plain',
    );
    expectProblem(answer, 401, 'unauthorized');
  });

  it('with an empty body needs no Content-Type', async () => {
    const answer = await raw('/v1/verifications', `Bearer ${client.key}`, '', undefined);
    expectProblem(answer, 400, 'validation-failed');
  });

  it('may omit a body whose every field is optional, with no Content-Type', async () => {
    const phone = mobileNumber();
    const userId = `u-${Math.random().toString(36).slice(2)}`;
    const put = await client.call('PUT', `/v1/users/${userId}/sms-factor`, { phoneNumber: phone });
    expect(put.status, put.text).toBe(202);
    const challenge = await raw(
      `/v1/users/${userId}/sms-factor/challenges`,
      `Bearer ${client.key}`,
      '',
      undefined,
    );
    // The factor is still pending: refused for that, never for the missing body or its type.
    expect(challenge.status, challenge.text).not.toBe(415);
    expect(challenge.status, challenge.text).not.toBe(400);
    expect(challenge.status, challenge.text).toBeLessThan(500);
  });
});
