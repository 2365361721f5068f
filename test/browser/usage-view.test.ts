import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, launchChromium, type Browser } from '../support/browser.ts';
import { startChildServer, type ChildServer } from '../support/child-server.ts';

/**
 * The console's Usage view of an identity store (api.md "Console (wave 3)", Usage) in Debian's Chromium
 * against `npm start`: From, To and Group by re-read the usage route; a table and a conversion chart
 * named "Conversion rate by <group>"; axe-core finds nothing serious.
 */
const AXE_SOURCE = await readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

describe.skipIf(!chromiumAvailable())('the console Usage view in Chromium', { timeout: 60_000 }, () => {
  const token = randomBytes(24).toString('base64url');
  let dataDir: string;
  let server: ChildServer;
  let browser: Browser;
  let page: Page;
  let storeId: string;

  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read arbitrary API JSON
  const call = async (method: string, path: string, bearer: string, body?: unknown): Promise<any> => {
    const response = await fetch(`${server.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${bearer}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    return response.status === 204 ? undefined : await response.json();
  };
  const codeFor = async (to: string) => {
    const lines = (await readFile(join(dataDir, 'outbox.jsonl'), 'utf8')).split('\n').filter(Boolean);
    const body = lines
      .map((l) => JSON.parse(l) as { to: string; body: string })
      .findLast((m) => m.to === to)!;
    return /(\d{6})/.exec(body.body)![1]!;
  };
  const rowCells = (name: string) =>
    page
      .getByRole('row')
      .filter({ has: page.getByRole('rowheader', { name, exact: true }) })
      .getByRole('cell');

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'sms-mfa-usage-console-'));
    server = await startChildServer({ DATA_DIR: dataDir, ADMIN_TOKEN: token }, 90_000);
    const gateways = await call('GET', '/admin/gateways', token);
    const store = await call('POST', '/admin/identity-stores', token, {
      name: 'Usage console',
      smsAuth: { enabled: true, gatewayId: gateways.items[0].id },
    });
    storeId = store.id;
    const key = (await call('POST', `/admin/identity-stores/${storeId}/api-keys`, token, { name: 'app' }))
      .key;
    // GB: sent and approved; DE: sent, never entered.
    const gb = await call('PUT', '/v1/users/gb/sms-factor', key, { phoneNumber: '+447400123456' });
    await call('POST', `/v1/challenges/${gb.challenge.id}/verify`, key, {
      code: await codeFor('+447400123456'),
    });
    await call('PUT', '/v1/users/de/sms-factor', key, { phoneNumber: '+4915112345678' });
    browser = await launchChromium();
    page = await browser.context.newPage();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('shows the last 7 days by day, then by country with a named chart, and follows From and To', async () => {
    await page.goto(`${server.url}/console/#token=${token}`);
    await page.getByRole('heading', { level: 1, name: 'SMS Gateways', exact: true }).waitFor();
    await page.goto(`${server.url}/console/identity-stores/${storeId}`);
    await page.getByRole('tab', { name: 'Usage', exact: true }).click();
    await page.getByRole('heading', { level: 2, name: 'Usage', exact: true }).waitFor();
    const today = new Date().toISOString().slice(0, 10);
    await rowCells(today).first().waitFor();
    // Sends, Accepted, Delivered, Failed, Challenges, Approved, Conversion rate.
    expect((await rowCells(today).allInnerTexts()).slice(0, 7)).toEqual([
      '2',
      '2',
      '0',
      '0',
      '2',
      '1',
      '50.0%',
    ]);
    expect(await page.getByRole('img', { name: 'Conversion rate by day', exact: true }).count()).toBe(1);

    await page.getByLabel('Group by', { exact: true }).selectOption('country');
    await page.getByRole('img', { name: 'Conversion rate by country', exact: true }).waitFor();
    await rowCells('DE').first().waitFor();
    expect((await rowCells('DE').allInnerTexts()).slice(4, 7)).toEqual(['1', '0', '0.0%']);
    expect((await rowCells('GB').allInnerTexts()).slice(4, 7)).toEqual(['1', '1', '100.0%']);

    await page.getByLabel('From', { exact: true }).fill('2026-01-01');
    await page.getByLabel('To', { exact: true }).fill('2026-01-02');
    await rowCells('GB').first().waitFor({ state: 'detached' });
    expect((await rowCells('Total').allInnerTexts()).slice(0, 1)).toEqual(['0']);

    await page.evaluate(AXE_SOURCE);
    const serious: string[] = await page.evaluate(`axe.run(document).then((r) => r.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => v.id + ': ' + v.nodes.map((n) => n.target.join(' ')).join(', ')))`);
    expect(serious).toEqual([]);
  });
});
