import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { HttpProviderSender } from '../../../shared/adapters/sms/http-provider-sender.ts';
import { httpApi } from '../../../shared/adapters/sms/providers/define-provider.ts';
import { customHttp } from '../../../shared/adapters/sms/providers/custom-http.ts';
import type { GatewayRecord } from '../../../shared/domain/gateways/gateway.ts';
import { gatewayRecord } from '../../support/gateway-record.ts';
import { adapterAgainstFakeProvider, sendFailure } from '../../support/provider-adapter.ts';

// The custom-http contract: POST gateway.url, JSON from the body template, auth by gateway.authScheme.
const NOW = 1_767_225_600_123; // 2026-01-01T00:00:00.123Z
const { provider, sender, lastRequest } = adapterAgainstFakeProvider(
  (http) =>
    new HttpProviderSender(
      http,
      httpApi(customHttp, () => NOW),
    ),
);
const TO = '+447400123456';
const sms = { to: TO, body: 'Your code is 123456' };
const gateway = (overrides: Partial<GatewayRecord> = {}) =>
  gatewayRecord({ type: 'custom-http', url: `${provider.url}/sms/send?tenant=acme`, ...overrides });

describe('Custom HTTP adapter', () => {
  describe('body', () => {
    it('posts the default template as JSON to the gateway url', async () => {
      provider.reply({ status: 200, body: { id: 'msg-1' } });

      const result = await sender.send(gateway(), {}, sms);

      expect(result).toStrictEqual({ providerMessageId: 'msg-1' });
      const request = lastRequest({
        url: '/sms/send?tenant=acme',
        headers: { 'content-type': 'application/json', authorization: undefined },
      });
      expect(request.headers['x-sms-mfa-signature']).toBeUndefined();
      expect(request.body).toBe('{"to":"+447400123456","message":"Your code is 123456"}');
    });

    it('fills every placeholder of a custom template with JSON-escaped values', async () => {
      provider.reply({ status: 202, body: { messageId: 'abc' } });
      const message = 'Say "hi"\\ then\nuse 123456 🔐\t</script>\u2028end';
      const template =
        '{"recipient":{"number":"{to}"},"text":"{message}","sender":"{from}",' +
        '"account":"{accountId}","copy":"{to}","fixed":"{unknown}"}';

      await sender.send(
        gateway({ bodyTemplate: template, from: 'Acme "Bank"', accountId: 'acct-42' }),
        {},
        { to: TO, body: message },
      );

      const body = provider.requests.at(-1)!.body;
      expect(JSON.parse(body)).toStrictEqual({
        recipient: { number: TO },
        text: message,
        sender: 'Acme "Bank"',
        account: 'acct-42',
        copy: TO,
        fixed: '{unknown}',
      });
      expect(body).toContain('"text":"Say \\"hi\\"\\\\ then\\nuse 123456 🔐\\t</script>\u2028end"');
    });

    it('substitutes in one pass, so a value that looks like a placeholder stays literal', async () => {
      provider.reply({ status: 200, body: { id: 'x' } });

      await sender.send(
        gateway({ bodyTemplate: '{"from":"{from}","to":"{to}","message":"{message}"}', from: '{message}' }),
        {},
        { to: TO, body: '{to}' },
      );

      expect(JSON.parse(provider.requests.at(-1)!.body)).toStrictEqual({
        from: '{message}',
        to: TO,
        message: '{to}',
      });
    });

    it('fills missing from and accountId with empty strings', async () => {
      provider.reply({ status: 200, body: { id: 'x' } });

      await sender.send(
        gateway({ bodyTemplate: '{"to":"{to}","message":"{message}","from":"{from}","a":"{accountId}"}' }),
        {},
        sms,
      );

      expect(provider.requests.at(-1)!.body).toBe(
        '{"to":"+447400123456","message":"Your code is 123456","from":"","a":""}',
      );
    });

    it('refuses a template that is not JSON once filled in, without sending', async () => {
      const before = provider.requests.length;

      const error = await sendFailure(
        sender.send(gateway({ bodyTemplate: '{"to":{to},"message":"{message}"}' }), {}, sms),
      );

      expect(error.kind).toBe('rejected');
      expect(error.reason).toMatch(/body template/);
      expect(error.reason).not.toContain('7400123456');
      expect(provider.requests.length).toBe(before);
    });

    it('refuses a gateway without a url', async () => {
      const error = await sendFailure(sender.send(gateway({ url: null }), {}, sms));

      expect(error).toMatchObject({ kind: 'rejected', reason: 'the gateway has no URL' });
    });
  });

  describe('authentication', () => {
    it.each([null, 'none'] as const)('sends no credentials for auth scheme %s', async (authScheme) => {
      provider.reply({ status: 200, body: { id: 'x' } });

      await sender.send(gateway({ authScheme }), { password: 'unused' }, sms);

      const headers = provider.requests.at(-1)!.headers;
      expect(headers.authorization).toBeUndefined();
      expect(headers['x-sms-mfa-timestamp']).toBeUndefined();
      expect(headers['x-sms-mfa-signature']).toBeUndefined();
    });

    it('sends Basic username:password', async () => {
      provider.reply({ status: 200, body: { id: 'x' } });

      await sender.send(gateway({ authScheme: 'basic', username: 'acme' }), { password: 'pa:ss wörd' }, sms);

      expect(provider.requests.at(-1)!.headers.authorization).toBe(
        `Basic ${Buffer.from('acme:pa:ss wörd').toString('base64')}`,
      );
    });

    it('sends the password as a bearer token', async () => {
      provider.reply({ status: 200, body: { id: 'x' } });

      await sender.send(gateway({ authScheme: 'bearer' }), { password: 'tok_live_abc' }, sms);

      expect(provider.requests.at(-1)!.headers.authorization).toBe('Bearer tok_live_abc');
    });

    it('signs timestamp.body with HMAC-SHA256 of the secret', async () => {
      provider.reply({ status: 200, body: { id: 'x' } });
      const secret = 'whsec_0123456789abcdef';

      await sender.send(gateway({ authScheme: 'hmac-sha256' }), { password: secret }, sms);

      const request = provider.requests.at(-1)!;
      expect(request.headers.authorization).toBeUndefined();
      expect(request.headers['x-sms-mfa-timestamp']).toBe('1767225600');
      const expected = createHmac('sha256', secret).update(`1767225600.${request.body}`).digest('hex');
      expect(request.headers['x-sms-mfa-signature']).toBe(`sha256=${expected}`);
      expect(request.body).toBe('{"to":"+447400123456","message":"Your code is 123456"}');
    });

    it('signs the exact bytes sent, including non-ASCII characters', async () => {
      provider.reply({ status: 200, body: { id: 'x' } });
      const secret = 's3cret';

      await sender.send(
        gateway({ authScheme: 'hmac-sha256' }),
        { password: secret },
        { to: TO, body: 'Código 🔐 "1"' },
      );

      const request = provider.requests.at(-1)!;
      const expected = createHmac('sha256', secret)
        .update(`1767225600.${request.body}`, 'utf8')
        .digest('hex');
      expect(request.headers['x-sms-mfa-signature']).toBe(`sha256=${expected}`);
      expect(JSON.parse(request.body)).toStrictEqual({ to: TO, message: 'Código 🔐 "1"' });
    });

    it.each(['basic', 'bearer', 'hmac-sha256'] as const)(
      'fails %s without a stored password, without sending',
      async (authScheme) => {
        const before = provider.requests.length;

        const error = await sendFailure(sender.send(gateway({ authScheme, username: 'u' }), {}, sms));

        expect(error.kind).toBe('auth');
        expect(provider.requests.length).toBe(before);
      },
    );
  });

  describe('answers', () => {
    it.each([
      [{ id: 'abc-1', messageId: 'ignored' }, 'abc-1'],
      [{ messageId: 'mid-2' }, 'mid-2'],
      [{ message_id: 'snake-3' }, 'snake-3'],
      [{ id: 12345 }, '12345'],
      [{ id: '', messageId: 7 }, '7'],
      [{ id: { nested: true }, message_id: 'snake-4' }, 'snake-4'],
    ])('takes the message id from %j', async (body, id) => {
      provider.reply({ status: 201, body });

      await expect(sender.send(gateway(), {}, sms)).resolves.toStrictEqual({ providerMessageId: id });
    });

    it.each([
      ['no id field', 200, { ok: true }],
      ['a JSON array', 200, ['x']],
      ['a text body', 202, 'queued'],
      ['an empty body', 204, ''],
    ] as const)('falls back to custom-<timestamp> for %s', async (_label, status, body) => {
      provider.reply({ status, body });

      await expect(sender.send(gateway(), {}, sms)).resolves.toStrictEqual({
        providerMessageId: `custom-${NOW}`,
      });
    });

    it.each([
      [401, 'auth'],
      [403, 'auth'],
      [429, 'throttled'],
      [500, 'unavailable'],
      [503, 'unavailable'],
      [400, 'rejected'],
      [404, 'rejected'],
    ] as const)('maps HTTP %i to %s with a sanitized reason', async (status, kind) => {
      const secret = 'tok_live_secret';
      provider.reply({
        status,
        body: { error: `cannot deliver to ${TO} (447400123456)`, echo: sms.body, token: secret },
      });

      const error = await sendFailure(
        sender.send(gateway({ authScheme: 'bearer' }), { password: secret }, sms),
      );

      expect(error.kind).toBe(kind);
      expect(error.reason).toMatch(
        new RegExp(`^Custom gateway HTTP ${status}: \\{"error":"cannot deliver to`),
      );
      expect(error.reason).not.toMatch(/7400|123456/);
      expect(error.reason).not.toContain(sms.body);
      expect(error.reason).not.toContain(secret);
      expect(error.reason.length).toBeLessThanOrEqual(200);
    });

    it('keeps a plain-text error short', async () => {
      provider.reply({ status: 500, body: `upstream failed ${'x'.repeat(500)}` });

      const error = await sendFailure(sender.send(gateway(), {}, sms));

      expect(error.reason).toBe(`Custom gateway HTTP 500: upstream failed ${'x'.repeat(120 - 16)}`);
    });

    it('turns a gateway that does not answer in time into unavailable', async () => {
      provider.reply({ status: 200, body: { id: 'late' }, delayMs: 3000 });

      const error = await sendFailure(sender.send(gateway(), {}, sms));

      expect(error).toMatchObject({ kind: 'unavailable' });
      expect(error.reason).toContain('no answer in time');
    });
  });
});
