import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSmsMfaClient, operationPaths as op, type SmsMfaClient } from '../../client/src/index.ts';
import { routes } from '../../shared/routes.ts';
import { chromiumAvailable, launchChromium, type Browser } from '../support/browser.ts';
import { startChildServer, type ChildServer } from '../support/child-server.ts';
import { ok } from '../support/client.ts';
import { startWebhookReceiver } from '../support/webhook-receiver.ts';

/**
 * api.md "Console (wave 3)": an identity store's every admin resource in Chromium against `npm start`,
 * as a new admin clicks through them: tabs, secrets shown once (Copy, gone after a reload or a tab
 * switch, never stored, never in an address or a log, answered with Cache-Control: no-store), Lift,
 * challenge history, and axe on every view. The support desk's part runs once its routes are served.
 */

const AXE_SOURCE = await readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const TABS = ['Settings', 'Applications', 'API Keys', 'Integrations', 'Webhooks', 'Blocks', 'Users', 'Usage'];

/** The support desk routes (wt-support): the browser tests of their screens run once the server has them. */
const served = (suffix: string) => routes.some((route) => route.path.endsWith(suffix));
const supportRoutesExist =
  served('/users/{userId}') && served('/users/{userId}/sms-factor/reset') && served('/users/{userId}/unlock');

const run = chromiumAvailable();

describe.skipIf(!run)('every admin resource of an identity store in the console', { timeout: 60_000 }, () => {
  const token = randomBytes(24).toString('base64url');
  let dataDir: string;
  let server: ChildServer;
  let browser: Browser;
  let page: Page;
  let admin: SmsMfaClient;
  let storeId: string;
  let gatewayName: string;
  /** Every secret the page was shown: none may be found anywhere it should not be. */
  const secrets: string[] = [];
  /** Answers the page received that carried a secret, with their headers. */
  const secretAnswers: Array<Promise<{ url: string; cacheControl: string | undefined; body: string }>> = [];
  const requestUrls: string[] = [];
  const pageErrors: string[] = [];
  const axeFindings: Record<string, string[]> = {};

  const checkAccessibility = async (screen: string) => {
    if (!(await page.evaluate('typeof axe !== "undefined"'))) await page.evaluate(AXE_SOURCE);
    const result: { passes: number; serious: string[] } = await page.evaluate(`axe
      .run(document, { resultTypes: ['violations', 'passes'] })
      .then((r) => ({
        passes: r.passes.length,
        serious: r.violations
          .filter((v) => v.impact === 'serious' || v.impact === 'critical')
          .map((v) => v.id + ': ' + v.nodes.map((n) => n.target.join(' ')).join(', ')),
      }))`);
    expect(result.passes, `axe checked nothing on ${screen}`).toBeGreaterThan(10);
    axeFindings[screen] = result.serious;
  };

  const heading = (name: string) => page.getByRole('heading', { level: 1, name, exact: true });
  const button = (name: string) => page.getByRole('button', { name, exact: true });
  const tab = (name: string) => page.getByRole('tab', { name, exact: true });
  const row = (text: string) => page.getByRole('row').filter({ hasText: text });
  const field = (label: string) => page.getByLabel(label, { exact: true });
  const status = (text: string) => page.getByRole('status').filter({ hasText: text });
  const openTab = async (name: string) => {
    await tab(name).click();
    await page.locator(`[role="tab"][aria-selected="true"]`).filter({ hasText: name }).waitFor();
  };

  /** Everything of the page a secret could hide in: its HTML, every field's value, storage, address. */
  const pageText = async () =>
    [
      await page.content(),
      await page.evaluate(
        `[...document.querySelectorAll('input, textarea, select')].map((e) => e.value).join('\\n')`,
      ),
      await page.evaluate('JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage })'),
      page.url(),
    ].join('\n');
  const expectNoSecretOnPage = async (secret: string) => {
    const text = await pageText();
    expect(text.includes(secret), 'the secret is still on the page').toBe(false);
  };

  /** Reads the shown secret, copies it with Copy and checks the clipboard got exactly it. */
  const shownSecret = async (label: 'API key' | 'Secret', scope = page.locator('body')) => {
    const input = scope.getByLabel(label, { exact: true });
    await input.waitFor();
    expect(await input.getAttribute('readonly')).not.toBeNull();
    const value = await input.inputValue();
    expect(value.length).toBeGreaterThan(16);
    await scope.getByRole('button', { name: 'Copy', exact: true }).click();
    await scope.getByRole('status').filter({ hasText: 'Copied.' }).waitFor();
    expect(await page.evaluate('navigator.clipboard.readText()')).toBe(value);
    secrets.push(value);
    return value;
  };

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'sms-mfa-console-resources-'));
    server = await startChildServer({ DATA_DIR: dataDir, ADMIN_TOKEN: token }, 90_000);
    admin = createSmsMfaClient({ baseUrl: server.url, adminToken: token });
    const gateways = await ok(admin.GET(op['gateways-list'], { params: { query: { limit: 100 } } }));
    const gateway = gateways.items.find((g) => g.type === 'console')!;
    gatewayName = gateway.name;
    const store = await ok(
      admin.POST(op['identity-stores-create'], {
        body: {
          name: 'Fabrikam',
          smsAuth: { enabled: true, gatewayId: gateway.id },
          codePolicy: { maxAttempts: 10, resendIntervalSeconds: 0 },
          fraudGuard: { prefixDigits: 9, maxUnverifiedPerPrefixPerHour: 2 },
        },
      }),
    );
    storeId = store.id;

    browser = await launchChromium();
    await browser.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url });
    browser.context.on('request', (request) => requestUrls.push(request.url()));
    browser.context.on('response', (response) => {
      const request = response.request();
      if (
        request.method() !== 'POST' ||
        !/\/(api-keys|integrations|webhooks|rotate-secret)$/.test(request.url())
      )
        return;
      secretAnswers.push(
        response.text().then((body) => ({
          url: request.url(),
          cacheControl: response.headers()['cache-control'],
          body,
        })),
      );
    });
    page = await browser.context.newPage();
    page.on('pageerror', (error) => pageErrors.push(String(error)));
    page.on('console', (message) => message.type() === 'error' && pageErrors.push(message.text()));
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('opens an identity store on its Settings tab, with exactly the eight tabs', async () => {
    await page.goto(`${server.url}/console/#token=${token}`);
    await heading('SMS Gateways').waitFor();
    await page.getByRole('link', { name: 'Identity Stores', exact: true }).click();
    await row('Fabrikam').getByRole('button', { name: 'Edit', exact: true }).click();
    await heading('Identity Store: Fabrikam').waitFor();
    expect(await page.getByRole('tab').allInnerTexts()).toEqual(TABS);
    expect(await page.locator('[role="tab"][aria-selected="true"]').innerText()).toBe('Settings');
    await field('Text message').waitFor(); // the store form, as before
    const panel = page.getByRole('tabpanel', { name: 'Settings' });
    expect(await panel.count()).toBe(1);
    await checkAccessibility('Store: Settings');

    // Arrow keys move between tabs and select them (the tabs pattern).
    await tab('Settings').focus();
    await page.keyboard.press('ArrowRight');
    await page.locator('[role="tab"][aria-selected="true"]').filter({ hasText: 'Applications' }).waitFor();
    expect(await page.evaluate('document.activeElement.textContent')).toBe('Applications');
    expect(page.url()).toBe(`${server.url}/console/identity-stores/${storeId}/applications`);
  });

  it('creates an application and a key of it from its row: the key is shown once, works, and is gone after Done and a reload', async () => {
    await openTab('Applications');
    await field('Application name').fill('Mobile app');
    await button('Create application').click();
    await row('Mobile app').waitFor();
    await checkAccessibility('Store: Applications');
    await row('Mobile app').getByRole('button', { name: 'Create API key', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Create API key for Mobile app' });
    await dialog.waitFor();
    await dialog.getByLabel('API key name', { exact: true }).fill('iOS');
    await dialog.getByRole('button', { name: 'Create API key', exact: true }).click();
    const key = await shownSecret('API key', dialog);
    await checkAccessibility('Store: Applications, new key');

    const [application] = (await ok(admin.GET(op['applications-list'], { params: { path: { storeId } } })))
      .items;
    const keys = await ok(admin.GET(op['api-keys-list'], { params: { path: { storeId } } }));
    expect(keys.items.map((k) => [k.name, k.applicationId])).toEqual([['iOS', application!.id]]);
    const client = createSmsMfaClient({ baseUrl: server.url, apiKey: key });
    expect(
      (await client.GET(op['users-mfa'], { params: { path: { userId: 'alice' } } })).response.status,
    ).toBe(200);

    await dialog.getByRole('button', { name: 'Done', exact: true }).click();
    await dialog.waitFor({ state: 'detached' });
    await expectNoSecretOnPage(key);
    await page.reload();
    await row('Mobile app').waitFor(); // still on the Applications tab
    await expectNoSecretOnPage(key);
  });

  it('creates a store-level API key: shown once, gone after a reload and after a switch of tab', async () => {
    await openTab('API Keys');
    await row('iOS').getByText('Mobile app').waitFor(); // the application's key, named by its application
    await field('API key name').fill('Backend');
    await button('Create API key').click();
    const key = await shownSecret('API key');
    await row('Backend').getByText('Whole store').waitFor();
    await checkAccessibility('Store: API Keys, new key');
    await page.reload();
    await row('Backend').waitFor();
    await expectNoSecretOnPage(key);

    await field('API key name').fill('Batch');
    await button('Create API key').click();
    const second = await shownSecret('API key');
    await openTab('Blocks');
    await expectNoSecretOnPage(second);
    await openTab('API Keys');
    await row('Batch').waitFor();
    await expectNoSecretOnPage(second);
  });

  it('creates an integration: the kind ids as options, its hook URL and its one-time secret; a rotation shows a new one once', async () => {
    await openTab('Integrations');
    const options: string[] = await page.evaluate(
      `[...document.querySelectorAll('#integration-kind option')].map((o) => o.value)`,
    );
    expect(options.sort()).toEqual(['auth0', 'cognito', 'kratos', 'okta', 'supabase']);
    await field('Kind').selectOption('okta');
    await field('Name').fill('Okta prod');
    await button('Create integration').click();
    const secret = await shownSecret('Secret');
    const [integration] = (await ok(admin.GET(op['integrations-list'], { params: { path: { storeId } } })))
      .items;
    expect(integration).toMatchObject({ kind: 'okta', name: 'Okta prod' });
    expect(integration!.hookUrl).toMatch(/^http/);
    await page.locator('.new-key code').filter({ hasText: integration!.hookUrl! }).waitFor();
    expect(await row('Okta prod').getByRole('cell').allInnerTexts()).toContain(integration!.hookUrl);
    await checkAccessibility('Store: Integrations, new secret');
    await page.reload();
    await row('Okta prod').waitFor();
    await expectNoSecretOnPage(secret);

    await row('Okta prod').getByRole('button', { name: 'Rotate secret', exact: true }).click();
    const rotated = await shownSecret('Secret');
    expect(rotated).not.toBe(secret);
    await openTab('Webhooks');
    await expectNoSecretOnPage(rotated);
  });

  it('creates a webhook with its one-time secret, rotates it, and neither secret survives a reload', async () => {
    const receiver = await startWebhookReceiver();
    try {
      await openTab('Webhooks');
      await field('URL').fill(receiver.url);
      await button('Create webhook').click();
      const secret = await shownSecret('Secret');
      expect(secret).toMatch(/^whsec_/);
      await row(receiver.url).waitFor();
      await checkAccessibility('Store: Webhooks, new secret');
      await row(receiver.url).getByRole('button', { name: 'Rotate secret', exact: true }).click();
      await status('previous one also signs').waitFor();
      const rotated = await shownSecret('Secret');
      expect(rotated).toMatch(/^whsec_/);
      expect(rotated).not.toBe(secret);
      await page.reload();
      await row(receiver.url).waitFor();
      await expectNoSecretOnPage(secret);
      await expectNoSecretOnPage(rotated);
    } finally {
      await receiver.stop();
    }
  });

  let challengeId: string;

  it('lists a fraud-guard block and lifts it after a confirmation', async () => {
    const key = await ok(
      admin.POST(op['api-keys-create'], { params: { path: { storeId } }, body: { name: 'blocks' } }),
    );
    const client = createSmsMfaClient({ baseUrl: server.url, apiKey: key.key });
    const numbers = ['+447400555101', '+447400555102', '+447400555103'];
    const statuses = [];
    for (const phoneNumber of numbers) {
      const { data, response } = await client.POST(op['verifications-create'], { body: { phoneNumber } });
      statuses.push(response.status);
      if (data) challengeId = data.id;
    }
    expect(statuses).toEqual([201, 201, 422]);
    const prefix = numbers[0]!.slice(1, -4);

    await openTab('Blocks');
    const block = row(prefix);
    await block.waitFor();
    expect(await block.getByRole('cell').first().innerText()).toBe('Number prefix');
    await checkAccessibility('Store: Blocks');
    await block.getByRole('button', { name: 'Lift', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Lift block' });
    await dialog.waitFor();
    await checkAccessibility('Lift confirmation');
    await dialog.getByRole('button', { name: 'Lift', exact: true }).click();
    await status(`Block of the number prefix ${prefix} lifted.`).waitFor();
    await page.getByText('No active block.').waitFor();
    expect((await ok(admin.GET(op['blocks-list'], { params: { path: { storeId } } }))).items).toEqual([]);
    const { response } = await client.POST(op['verifications-create'], {
      body: { phoneNumber: numbers[2]! },
    });
    expect(response.status).toBe(201);
  });

  it("opens a challenge's history from its id: time, gateway name, outcome and delivery of each message", async () => {
    await openTab('Users');
    await checkAccessibility('Store: Users');
    await field('Challenge ID').fill(challengeId);
    await button('Open history').click();
    await heading(`Challenge ${challengeId}`).waitFor();
    expect(page.url()).toBe(`${server.url}/console/identity-stores/${storeId}/challenges/${challengeId}`);
    const table = page.getByRole('table', { name: 'Messages sent' });
    await table.waitFor();
    expect(await table.getByRole('columnheader').allInnerTexts()).toEqual([
      'Time',
      'Gateway',
      'Outcome',
      'Delivery',
    ]);
    const cells = await table.getByRole('row').nth(1).getByRole('cell').allInnerTexts();
    expect(cells).toEqual([gatewayName, 'accepted', 'no receipt']);
    await checkAccessibility('Challenge history');

    await page.goto(`${server.url}/console/identity-stores/${storeId}/challenges/ch_unknown`);
    await page.getByRole('alert').waitFor();
    await page.getByRole('link', { name: 'Back to the users of Fabrikam', exact: true }).click();
    await page.locator('[role="tab"][aria-selected="true"]').filter({ hasText: 'Users' }).waitFor();
  });

  it('shows the usage view on the Usage tab: From, To and Group by', async () => {
    await openTab('Usage');
    for (const label of ['From', 'To', 'Group by']) await page.getByLabel(label, { exact: true }).waitFor();
    await checkAccessibility('Store: Usage');
  });

  describe.skipIf(!supportRoutesExist)('the support desk (Users)', () => {
    const userId = 'bob@example.com';
    const phone = '+447412345201'; // a prefix of its own: the store's fraud guard counts per prefix
    let client: SmsMfaClient;
    const lastCode = async () => {
      const lines = (await readFile(join(dataDir, 'outbox.jsonl'), 'utf8')).split('\n').filter(Boolean);
      const last = lines
        .map((line) => JSON.parse(line) as { to: string; body: string })
        .filter((m) => m.to === phone)
        .at(-1);
      return /(\d{6})/.exec(last?.body ?? '')![1]!;
    };

    beforeAll(async () => {
      const key = await ok(
        admin.POST(op['api-keys-create'], { params: { path: { storeId } }, body: { name: 'support' } }),
      );
      client = createSmsMfaClient({ baseUrl: server.url, apiKey: key.key });
      const enrolled = await ok(
        client.PUT(op['sms-factor-enroll'], { params: { path: { userId } }, body: { phoneNumber: phone } }),
      );
      await ok(
        client.POST(op['challenges-verify'], {
          params: { path: { challengeId: enrolled.challenge!.id } },
          body: { code: await lastCode() },
        }),
      );
      // 10 consecutive wrong codes lock the factor for 15 minutes.
      const challenge = await ok(
        client.POST(op['challenges-authenticate'], { params: { path: { userId } } }),
      );
      for (let i = 0; i < 10; i++) {
        await client.POST(op['challenges-verify'], {
          params: { path: { challengeId: challenge.id } },
          body: { code: '000000' === (await lastCode()) ? '111111' : '000000' },
        });
      }
    });

    it('finds a user by id: status, masked phone, lock, user ref and recent challenges; the id never in the address', async () => {
      await openTab('Users');
      await field('User ID').fill(userId);
      await button('Find').click();
      await page.getByRole('heading', { name: `User ${userId}` }).waitFor();
      await page.getByText('active', { exact: true }).waitFor();
      await page.getByText(/^Locked until /).waitFor();
      await page.getByText('User ref').waitFor();
      const recent = page.getByRole('table', { name: 'Recent challenges' });
      expect(await recent.getByRole('link').count()).toBe(2);
      await checkAccessibility('Store: Users, a locked user');
      expect(page.url()).not.toContain(encodeURIComponent(userId));
      expect(page.url()).not.toContain('bob');
    });

    it('unlocks the user after a confirmation naming them; a new challenge then verifies', async () => {
      await button('Unlock').click();
      const dialog = page.getByRole('dialog', { name: 'Unlock user' });
      await dialog.getByText(userId, { exact: false }).waitFor();
      await dialog.getByRole('button', { name: 'Unlock', exact: true }).click();
      await status(`User ${userId} unlocked.`).waitFor();
      await page.getByText('Not locked').waitFor();
      const challenge = await ok(
        client.POST(op['challenges-authenticate'], { params: { path: { userId } } }),
      );
      await ok(
        client.POST(op['challenges-verify'], {
          params: { path: { challengeId: challenge.id } },
          body: { code: await lastCode() },
        }),
      );
    });

    it('resets the SMS factor: the dialog names the user and needs a Reason; the factor is gone', async () => {
      await button('Reset SMS factor').click();
      const dialog = page.getByRole('dialog', { name: 'Reset SMS factor' });
      await dialog.getByText(userId, { exact: false }).waitFor();
      const reason = dialog.getByLabel('Reason', { exact: true });
      expect(await reason.getAttribute('aria-required')).toBe('true');
      expect(await dialog.getByRole('button', { name: 'Reset', exact: true }).isDisabled()).toBe(true);
      await checkAccessibility('Reset SMS factor');
      await reason.fill('Lost phone, identity checked by ticket 4711');
      await dialog.getByRole('button', { name: 'Reset', exact: true }).click();
      await status(`SMS factor of ${userId} reset.`).waitFor();
      await page.getByText('none', { exact: true }).waitFor();
      const mfa = await ok(client.GET(op['users-mfa'], { params: { path: { userId } } }));
      expect(mfa).toHaveProperty('resetAt');
      expect(page.url()).not.toContain('bob');
    });
  });

  describe('webhook deliveries', () => {
    it('lists a failed delivery under Deliveries and retries it', async () => {
      const receiver = await startWebhookReceiver([500]);
      try {
        const hook = await ok(
          admin.POST(op['webhooks-create'], {
            params: { path: { storeId } },
            body: { url: receiver.url, eventTypes: ['challenge.created'] },
          }),
        );
        secrets.push(hook.secret);
        const key = await ok(
          admin.POST(op['api-keys-create'], { params: { path: { storeId } }, body: { name: 'hooks' } }),
        );
        const client = createSmsMfaClient({ baseUrl: server.url, apiKey: key.key });
        await ok(client.POST(op['verifications-create'], { body: { phoneNumber: '+447498765301' } }));
        await receiver.until((received) => received.length >= 1);

        await openTab('Webhooks');
        await page.reload();
        const hookRow = page
          .getByRole('row')
          .filter({ hasText: receiver.url })
          .filter({ hasText: 'challenge.created' });
        await hookRow.getByRole('button', { name: 'Deliveries', exact: true }).click();
        const table = page.getByRole('table', { name: `Deliveries to ${receiver.url}` });
        const delivery = table.getByRole('row').filter({ hasText: 'challenge.created' });
        await delivery.waitFor();
        await checkAccessibility('Store: Webhook deliveries');
        const before = receiver.received.length;
        await delivery.getByRole('button', { name: 'Retry', exact: true }).click();
        await status('sent again').waitFor();
        await receiver.until((received) => received.length > before);
        expect(receiver.received.at(-1)!.headers['webhook-id']).toBe(
          receiver.received[0]!.headers['webhook-id'],
        );
      } finally {
        await receiver.stop();
      }
    });
  });

  it('answered every secret with Cache-Control: no-store, and kept secrets out of storage, addresses and the server output', async () => {
    const answers = await Promise.all(secretAnswers);
    const carrying = answers.filter((a) => secrets.some((secret) => a.body.includes(secret)));
    expect(carrying.length).toBeGreaterThanOrEqual(6);
    for (const answer of carrying) expect(answer.cacheControl, answer.url).toBe('no-store');
    const text = await pageText();
    const output = server.output();
    for (const secret of secrets) {
      expect(text.includes(secret)).toBe(false);
      expect(output.includes(secret)).toBe(false);
      expect(requestUrls.filter((url) => url.includes(secret))).toEqual([]);
    }
    expect(pageErrors.filter((line) => !/status of 4\d\d/.test(line))).toEqual([]);
  });

  it('finds no serious or critical accessibility violation on any view', () => {
    expect(Object.keys(axeFindings).length).toBeGreaterThanOrEqual(11);
    expect(axeFindings).toEqual(Object.fromEntries(Object.keys(axeFindings).map((view) => [view, []])));
  });
});
