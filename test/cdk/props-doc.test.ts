import { readFile, writeFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { PROPS_DOC, renderPropsDoc } from '../../cdk/props-doc.ts';
import { smsMfaPropsSchema } from '../../cdk/props.ts';

/**
 * docs/cdk-props.md is generated from the zod schema that validates the props and the CDK context:
 * committed, and this test fails when it no longer matches the schema (regenerate with
 * `npx tsx cdk/props-doc.ts`, or run this test with WRITE_CDK_PROPS=1).
 */
describe('docs/cdk-props.md', () => {
  it('is what the schema generates today', async () => {
    const generated = await renderPropsDoc();
    if (process.env.WRITE_CDK_PROPS) await writeFile(PROPS_DOC, generated);
    expect(await readFile(PROPS_DOC, 'utf8')).toBe(generated);
  });

  it('has one row per prop, with its description, default and bounds from the schema', async () => {
    const doc = await renderPropsDoc();
    const rows = doc.split('\n').filter((l) => /^\| `/.test(l));
    const names = rows.map((r) => /^\| `([^`]+)`/.exec(r)![1]);
    expect(names).toEqual(Object.keys(smsMfaPropsSchema.shape));
    const row = (name: string) =>
      rows
        .find((r) => r.startsWith(`| \`${name}\``))!
        .split('|')
        .map((c) => c.trim());
    expect(row('sendConcurrency')).toEqual([
      '',
      '`sendConcurrency`',
      'integer (>= 0)',
      '`10`',
      expect.stringContaining('kill switch'),
      '',
    ]);
    expect(row('providerFailureRateThreshold')[2]).toBe('number (> 0, < 100)');
    expect(row('edgeProtection')[3]).toBe('on unless `stage` is `dev`');
    expect(row('alarmEmail')[3]).toBe('none');
  });
});
