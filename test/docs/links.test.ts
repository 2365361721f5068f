import { mkdtemp, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../local/local-stack.ts';
import { anchorsOf, brokenLinks } from '../support/markdown-links.ts';

/** Written by `npm run docs`, not checked in. */
const GENERATED = new Set(['docs/api.html']);
const TOPICS = [
  'getting-started',
  'architecture',
  'api',
  'events',
  'integrations',
  'operations',
  'deploy',
  'security',
  'performance',
];

const pages = async () => [
  'README.md',
  ...(await readdir(join(PROJECT_ROOT, 'docs')))
    .filter((name) => name.endsWith('.md'))
    .map((name) => `docs/${name}`),
];

describe('the README and docs/', () => {
  it('the README is a map of at most 300 lines with the two commands, linking every topic page', async () => {
    const readme = await readFile(join(PROJECT_ROOT, 'README.md'), 'utf8');
    expect(readme.split('\n').length).toBeLessThanOrEqual(300);
    expect(readme).toContain('```sh\nnpm ci && npm start\n```');
    expect(readme).toContain('```sh\nnpm ci && npm test\n```');
    for (const topic of TOPICS) expect(readme).toContain(`](docs/${topic}.md)`);
  });

  it('every relative link of README.md and docs/*.md resolves, to a file and to a heading', async () => {
    const names = await pages();
    expect(names).toEqual(expect.arrayContaining(TOPICS.map((topic) => `docs/${topic}.md`)));
    const broken = (
      await Promise.all(
        names.map(async (name) =>
          (await brokenLinks(PROJECT_ROOT, name, GENERATED)).map((link) => `${name}: ${link}`),
        ),
      )
    ).flat();
    expect(broken).toEqual([]);
  });

  it('the check finds a missing file, a missing heading and a link out of the repository, and skips code', async () => {
    const root = await mkdtemp(join(tmpdir(), 'sms-mfa-links-'));
    await mkdir(join(root, 'docs'));
    await writeFile(
      join(root, 'docs/a.md'),
      [
        '# A page',
        '## Edge protection: why CloudFront + WAF',
        '## Twice',
        '## Twice',
        '[ok](#a-page) [ok](b.md#b) [ok](#edge-protection-why-cloudfront--waf) [ok](#twice-1) [ok](api.html)',
        '[gone](c.md) [gone](b.md#nothing) [gone](../../outside.md) [gone](#twice-2) ![gone](img/x.png)',
        '`[code](nowhere.md)` [web](https://example.com/x)',
        '```md',
        '[fenced](nowhere.md)',
        '```',
      ].join('\n'),
    );
    await writeFile(join(root, 'docs/b.md'), '# B\n');
    const broken = await brokenLinks(root, 'docs/a.md', new Set(['docs/api.html']));
    expect(broken.map((link) => link.split(' ')[0])).toEqual([
      'c.md',
      'b.md#nothing',
      '../../outside.md',
      '#twice-2',
      'img/x.png',
    ]);
  });

  it('anchors follow GitHub: punctuation dropped, code spans kept as text', () => {
    expect([...anchorsOf('## Configuration (CDK context: `-c key=value` or `cdk.json`)\n')]).toEqual([
      'configuration-cdk-context--c-keyvalue-or-cdkjson',
    ]);
  });
});
