import { execFile } from 'node:child_process';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { externalReferences } from '../../local/docs/external-references.ts';
import { PROJECT_ROOT } from '../../local/local-stack.ts';

const run = promisify(execFile);

describe('npm run docs', { timeout: 120_000 }, () => {
  let dir: string;
  let html: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sms-mfa-docs-'));
    await run('npm', ['run', 'docs', '--', '--out-dir', dir], { cwd: PROJECT_ROOT });
    html = await readFile(join(dir, 'api.html'), 'utf8');
  }, 120_000);

  it('renders openapi.json, every path of it, into one page', async () => {
    const openapi = JSON.parse(await readFile(join(PROJECT_ROOT, 'openapi.json'), 'utf8')) as {
      paths: Record<string, unknown>;
    };
    const paths = Object.keys(openapi.paths);
    expect(paths).toContain('/v1/verifications');
    for (const path of paths) expect(html).toContain(`"${path}"`);
    // The document the page renders is openapi.json itself, not a copy that could drift.
    const embedded = /const __redoc_definition = (\{.*\});\n/.exec(html)?.[1];
    expect(embedded).toBeDefined();
    expect(JSON.parse(embedded!)).toEqual(openapi);
  });

  it('loads nothing from elsewhere: no other host in any src, href, url() or @import, and a CSP that says so', () => {
    expect(externalReferences(html)).toEqual([]);
    // Redoc's telemetry is off, and what its script could still build (icons, telemetry) the CSP refuses.
    expect(html).toContain('"disableTelemetry":true');
    expect(html).toMatch(/<meta\s+http-equiv="Content-Security-Policy"\s+content="default-src 'none';/);
    expect(html.slice(0, 100)).toMatch(/^<!doctype html>/i);
  });

  it('writes docs/configuration.md as it is checked in', async () => {
    expect(await readFile(join(dir, 'configuration.md'), 'utf8')).toBe(
      await readFile(join(PROJECT_ROOT, 'docs/configuration.md'), 'utf8'),
    );
  });
});

describe('externalReferences', () => {
  it.each([
    '<link rel="stylesheet" href="https://fonts.googleapis.com/css?family=Roboto">',
    "<script src='//cdn.example.com/redoc.js'></script>",
    '<img src=http://example.com/logo.svg>',
    '<img srcset="logo.png 1x, https://example.com/logo@2x.png 2x">',
    '<style>@font-face { src: url(https://fonts.gstatic.com/x.woff2) }</style>',
    "<style>.a { background: url( '//example.com/a.png' ) }</style>",
    '<style>@import "https://example.com/theme.css";</style>',
    '<style>@import url(//example.com/theme.css);</style>',
    'createElement(`img`,{alt:`logo`,src:`https://cdn.example.com/logo.svg`})',
    "{href:'ftp://example.com/spec.yaml'}",
  ])('finds %s', (page) => {
    expect(externalReferences(page)).not.toEqual([]);
  });

  it.each([
    '<a href="#/client/verifications-create">',
    '<img src="data:image/svg+xml,%3Csvg%3E">',
    "<style>.a { background: url('data:image/png;base64,AAAA') }</style>",
    '<a href="relative/page.html">',
    '<svg xmlns="http://www.w3.org/2000/svg"></svg>',
    '<p>See https://example.com in the text.</p>',
    'n.src=e.src;{href:`mailto:`+email}',
  ])('lets %s through', (page) => {
    expect(externalReferences(page)).toEqual([]);
  });
});
