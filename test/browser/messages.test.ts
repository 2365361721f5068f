import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, launchChromium, type Browser } from '../support/browser.ts';
import { startChildServer, type ChildServer } from '../support/child-server.ts';

/**
 * issue 27 in the console: an identity store's text message per language, an application's autofill
 * options, and a Message preview that shows exactly what the outbox then receives (with the sent code in
 * place of the sample one).
 */
describe.skipIf(!chromiumAvailable())('messages in the console', { timeout: 60_000 }, () => {
  const token = randomBytes(24).toString('base64url');
  let dataDir: string;
  let server: ChildServer;
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];

  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read arbitrary API JSON
  const call = async (method: string, path: string, body?: unknown, bearer = token): Promise<any> => {
    const response = await fetch(`${server.url}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${bearer}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    expect(response.status, text).toBeLessThan(300);
    return text ? JSON.parse(text) : undefined;
  };
  const outbox = async () =>
    (await readFile(join(dataDir, 'outbox.jsonl'), 'utf8').catch(() => ''))
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as { to: string; body: string });
  const field = (label: string) => page.getByLabel(label, { exact: true });
  const button = (name: string) => page.getByRole('button', { name, exact: true });

  let storeId: string;
  let applicationId: string;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'sms-mfa-messages-'));
    server = await startChildServer({ DATA_DIR: dataDir, ADMIN_TOKEN: token }, 90_000);
    browser = await launchChromium();
    page = await browser.context.newPage();
    page.on('pageerror', (error) => pageErrors.push(String(error)));
    const gateways = await call('GET', '/admin/gateways');
    const gatewayId = gateways.items.find((g: { type: string }) => g.type === 'console').id;
    storeId = (
      await call('POST', '/admin/identity-stores', { name: 'Shop', smsAuth: { enabled: true, gatewayId } })
    ).id;
    applicationId = (
      await call('POST', `/admin/identity-stores/${storeId}/applications`, { name: 'Web shop' })
    ).id;
    await page.goto(`${server.url}/console/#token=${token}`);
    await page.getByRole('heading', { level: 1, name: 'SMS Gateways', exact: true }).waitFor();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('edits a German template with its live encoding and segment count', async () => {
    await page.goto(`${server.url}/console/identity-stores/${storeId}`);
    await page.getByRole('heading', { level: 1, name: 'Identity Store: Shop', exact: true }).waitFor();
    await button('Add language').click();
    await field('Language').fill('de');
    const german = field('Text message (de)');
    await german.fill('Ihr Code für den Shop lautet [Code]');
    const row = page.locator('.template-row').filter({ has: german });
    // "ü" is GSM-7: one segment.
    await row.getByTestId('message-encoding').filter({ hasText: 'GSM-7' }).waitFor();
    await german.fill('Ihr Code für den Shop lautet [Code] ✓');
    await row.getByTestId('message-encoding').filter({ hasText: 'UCS-2' }).waitFor();
    expect(await row.getByTestId('message-segments').innerText()).toBe('1 segment');
    await german.fill('Ihr Code für den Shop lautet [Code]');
    await button('Save').click();
    await page.getByRole('status').filter({ hasText: 'Identity store Shop saved.' }).waitFor();
    const store = await call('GET', `/admin/identity-stores/${storeId}`);
    expect(store.smsAuth.messageTemplates).toEqual({ de: 'Ihr Code für den Shop lautet [Code]' });
    expect(store.smsAuth.messageInfoByLocale).toEqual({ de: { encoding: 'GSM-7', segments: 1 } });
  });

  it("edits an application's autofill options; the preview is the text the outbox receives", async () => {
    await page.goto(`${server.url}/console/identity-stores/${storeId}/applications/${applicationId}`);
    await page.getByRole('heading', { level: 1, name: 'Application: Web shop', exact: true }).waitFor();
    await field('Origin domain').fill('Shop.Example.COM');
    await field('Android app hash').fill('FA+9qCX9VSu');
    await field('Preview language').selectOption('de');
    const preview = page.getByRole('figure', { name: 'Message preview' }).getByTestId('message-preview');
    const expected = 'Ihr Code für den Shop lautet 123456\n\nFA+9qCX9VSu\n@shop.example.com #123456';
    await page.getByTestId('message-preview').filter({ hasText: '@shop.example.com #123456' }).waitFor();
    const shown = await preview.innerText();
    expect(shown).toBe(expected);
    await button('Save').click();
    await page.getByRole('status').filter({ hasText: 'Application Web shop saved.' }).waitFor();

    const key = await call('POST', `/admin/identity-stores/${storeId}/api-keys`, {
      name: 'web',
      applicationId,
    });
    const phone = '+447400123456';
    const sent = await call('POST', '/v1/verifications', { phoneNumber: phone, locale: 'de-DE' }, key.key);
    const body = (await outbox()).filter((m) => m.to === phone).at(-1)!.body;
    const code = /#(\d{6})$/.exec(body)![1]!;
    expect(body.replaceAll(code, '123456')).toBe(shown);
    await call('POST', `/v1/challenges/${sent.id}/verify`, { code }, key.key);
    expect(pageErrors).toEqual([]);
  });
});
