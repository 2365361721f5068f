/**
 * `npm run console:screenshots`: regenerates docs/console/*.png, one per screen, from a fresh local stack
 * (its own DynamoDB Local and data folder, removed afterwards) with a few example records, in Debian's
 * Chromium as the browser tests drive it.
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLocalStack, PROJECT_ROOT } from '../local/local-stack.ts';
import { CHROMIUM_PATH, launchChromium } from '../test/support/browser.ts';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
process.env.POWERTOOLS_LOG_LEVEL ??= 'ERROR';
const outDir = join(PROJECT_ROOT, 'docs/console');
const dataDir = await mkdtemp(join(tmpdir(), 'sms-mfa-screenshots-'));
const stack = await startLocalStack({ port: 0, dataDir });

async function admin<T>(method: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(`${stack.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${stack.adminToken}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

try {
  const twilio = await admin<{ id: string }>('POST', '/admin/gateways', {
    name: 'Twilio primary',
    type: 'twilio',
    accountId: 'AC0123456789abcdef0123456789abcdef',
    password: 'example-auth-token',
    from: '+15005550006',
    isDefault: true,
    proxy: {
      host: 'proxy.corp.example',
      port: 3128,
      username: 'svc',
      password: 'example',
      description: 'Corporate proxy',
    },
  });
  await admin('POST', '/admin/identity-stores', {
    name: 'Contoso',
    smsAuth: {
      enabled: true,
      gatewayId: twilio.id,
      messageTemplate: 'Contoso: your code is [Code]',
      enforcedRoles: ['Admins'],
    },
    allowedCountries: ['GB', 'US'],
  });
  const store = await admin<{ id: string }>('POST', '/admin/identity-stores', { name: 'Fabrikam' });
  await admin('POST', `/admin/identity-stores/${store.id}/api-keys`, { name: 'Web app' });

  await mkdir(outDir, { recursive: true });
  const browser = await launchChromium();
  try {
    const page = await browser.context.newPage();
    const shot = async (name: string) => {
      await page.waitForLoadState('networkidle');
      await page.screenshot({ path: join(outDir, `${name}.png`), fullPage: true });
      console.log(`docs/console/${name}.png`);
    };
    const row = (name: string) => page.getByRole('row').filter({ hasText: name });
    await page.goto(`${stack.url}/console/#token=${stack.adminToken}`);
    await row('Twilio primary').waitFor();
    await shot('sms-gateways');

    await row('Twilio primary').getByRole('button', { name: 'Test Connection', exact: true }).click();
    await page.getByLabel('Mobile phone number').fill('447079692712');
    await shot('test-connection');
    await page.keyboard.press('Escape');

    await row('Twilio primary').getByRole('button', { name: 'Delete', exact: true }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Delete', exact: true }).click();
    await page.getByRole('alert').waitFor();
    await shot('delete-refused');

    await page.getByRole('button', { name: 'Create SMS Gateway', exact: true }).click();
    await page.getByLabel('Name', { exact: true }).fill('Vonage backup');
    await page.getByLabel('Gateway Type', { exact: true }).selectOption('vonage');
    await page.getByRole('button', { name: 'Show Proxy Options', exact: true }).click();
    await shot('create-sms-gateway');

    await page.goto(`${stack.url}/console/identity-stores`);
    await row('Contoso').waitFor();
    await shot('identity-stores');

    await row('Fabrikam').getByRole('button', { name: 'Edit', exact: true }).click();
    await page
      .getByLabel('Text message', { exact: true })
      .fill('Fabrikam verification code: [Code]. It expires in 5 minutes — don’t share it.');
    await page.getByRole('tab', { name: 'Settings', selected: true }).waitFor();
    await shot('identity-store');
  } finally {
    await browser.close();
  }
} catch (error) {
  console.error(`screenshots failed (Chromium at ${CHROMIUM_PATH}):`, error);
  process.exitCode = 1;
} finally {
  await stack.stop();
  await rm(dataDir, { recursive: true, force: true });
}
