import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderApiDocs } from '../../local/docs/render-api-docs.ts';
import { chromiumAvailable, launchChromium, type Browser } from '../support/browser.ts';

const run = chromiumAvailable();

/** docs/api.html as `npm run docs` writes it, opened from the file system in Chromium with no network. */
describe.skipIf(!run)('the API reference (docs/api.html) in Chromium', { timeout: 60_000 }, () => {
  let browser: Browser;
  let page: Page;
  const elsewhere: string[] = [];
  const refused: string[] = [];
  const errors: string[] = [];

  beforeAll(async () => {
    const file = join(await mkdtemp(join(tmpdir(), 'sms-mfa-api-docs-')), 'api.html');
    await renderApiDocs(file);
    browser = await launchChromium();
    // Anything not from the file itself is recorded and aborted (the machine has no network anyway).
    await browser.context.route('**/*', (route) => {
      const url = route.request().url();
      if (/^(file|data|blob):/.test(url)) return route.continue();
      elsewhere.push(url);
      return route.abort();
    });
    page = await browser.context.newPage();
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) refused.push(message.text());
    });
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(pathToFileURL(file).href);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
  });

  it('finds the /v1/verifications operation from the overview and shows its request', async () => {
    await page.getByRole('link', { name: /^post\s*\/v1\/verifications$/i }).click();
    await expect.poll(() => page.url()).toMatch(/#\/client\/verifications-create$/);
    await page
      .getByRole('heading', { name: 'Verify a phone number without a user (sign-up)' })
      .first()
      .waitFor();
    const text = () => page.locator('body').innerText();
    await expect.poll(text).toMatch(/POST\s+\/v1\/verifications/);
    await expect.poll(text).toMatch(/phoneNumber/);
    await expect.poll(text).toMatch(/idempotency-key/i);
  });

  it('opens at an operation from a link to it (the fragment is the route)', async () => {
    const linked = await browser.context.newPage();
    linked.on('pageerror', (error) => errors.push(error.message));
    await linked.goto(`${page.url().split('#')[0]}#/client/verifications-create`);
    await linked
      .getByRole('heading', { name: 'Verify a phone number without a user (sign-up)' })
      .first()
      .waitFor();
    await expect.poll(() => linked.locator('body').innerText()).toMatch(/POST\s+\/v1\/verifications/);
    await linked.close();
  });

  it('asked for nothing outside the file, had nothing refused by its CSP, and threw nothing', () => {
    expect(elsewhere).toEqual([]);
    expect(refused).toEqual([]);
    expect(errors).toEqual([]);
  });
});
