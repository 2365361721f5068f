import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../local/local-stack.ts';
import { webhookHeaders } from '../../shared/domain/webhooks/signing.ts';

type Verify = (secret: string, headers: Record<string, string>, body: string) => boolean;

/** The "Verifying a webhook signature in Node" snippet of docs/events.md, run as it is printed. */
async function printedVerify(): Promise<Verify> {
  const page = await readFile(join(PROJECT_ROOT, 'docs/events.md'), 'utf8');
  const heading = page.indexOf('## Verifying a webhook signature in Node');
  if (heading < 0) throw new Error('docs/events.md has no "Verifying a webhook signature in Node" section');
  const section = page.slice(heading);
  const code = /```js\n([\s\S]*?)```/.exec(section)?.[1];
  if (!code)
    throw new Error('docs/events.md has no Node snippet under "Verifying a webhook signature in Node"');
  const file = join(await mkdtemp(join(tmpdir(), 'sms-mfa-docs-')), 'verify.mjs');
  await writeFile(file, `${code}\nexport { verify };\n`);
  return ((await import(pathToFileURL(file).href)) as { verify: Verify }).verify;
}

describe('the webhook verification snippet of docs/events.md', () => {
  it('accepts what the service signs, with either secret of a rotation; refuses other bodies, secrets and stale times', async () => {
    const verify = await printedVerify();
    const [secret, previous] = [
      'whsec_' + Buffer.alloc(32, 1).toString('base64'),
      'whsec_' + Buffer.alloc(32, 2).toString('base64'),
    ];
    const body =
      '{"type":"challenge.approved","timestamp":"2026-12-01T09:00:00.000Z","data":{"storeId":"ids_1"}}';
    const now = Math.floor(Date.now() / 1000);
    const headers = webhookHeaders([secret, previous], 'evt_1', now, body);
    expect(verify(secret, headers, body)).toBe(true);
    expect(verify(previous, headers, body)).toBe(true);
    expect(verify(secret, headers, body.replace('ids_1', 'ids_2'))).toBe(false);
    expect(verify('whsec_' + Buffer.alloc(32, 3).toString('base64'), headers, body)).toBe(false);
    expect(verify(secret, webhookHeaders([secret], 'evt_1', now - 600, body), body)).toBe(false);
  });
});
