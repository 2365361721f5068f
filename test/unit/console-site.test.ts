import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildConsole } from '../../console/build.ts';
import { serveConsole } from '../../local/console-site.ts';

let server: Server;
let base: string;
beforeAll(async () => {
  server = createServer((request, response) => {
    void serveConsole(request, response).then((served) => {
      if (!served) response.writeHead(418).end('not the console');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('the console build and its static files', () => {
  it('is one small script and one stylesheet, referenced by an index.html with nothing inline', async () => {
    const files = await buildConsole();
    expect([...files.keys()].sort()).toEqual(['favicon.svg', 'index.html', 'main.js', 'styles.css']);
    // Preact, the screens (every admin resource, issue 28) and the domain's SMS encoding module, minified.
    expect(files.get('main.js')!.body.length).toBeLessThan(96 * 1024);
    const html = files.get('index.html')!.body.toString();
    // default-src 'self' forbids inline code and style: every script and style is a file of its own.
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    expect(html).not.toMatch(/<style|\sstyle=|\son\w+=/i);
    for (const [, path] of html.matchAll(/(?:src|href)="([^"]+)"/g)) {
      expect(path).toMatch(/^\/console\//);
      expect(files.has(path!.slice('/console/'.length)), path).toBe(true);
    }
  });

  it('serves files and screens under /console/ with the CSP, and leaves every other request alone', async () => {
    const page = await fetch(`${base}/console/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('content-security-policy')).toBe("default-src 'self'");
    expect(page.headers.get('x-frame-options')).toBe('DENY');
    const index = await page.text();

    // A screen's address (a reload on it) gets the page; a missing file is a 404, not the page.
    const screen = await fetch(`${base}/console/gateways/gw_123`);
    expect(await screen.text()).toBe(index);
    expect((await fetch(`${base}/console/missing.js`)).status).toBe(404);
    const script = await fetch(`${base}/console/main.js`);
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(script.headers.get('content-security-policy')).toBe("default-src 'self'");
    const head = await fetch(`${base}/console/styles.css`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');

    const bare = await fetch(`${base}/console`, { redirect: 'manual' });
    expect(bare.status).toBe(308);
    expect(bare.headers.get('location')).toBe('/console/');

    for (const [method, path] of [
      ['GET', '/admin/gateways'],
      ['GET', '/consoles'],
      ['POST', '/console/'],
    ] as const) {
      expect((await fetch(`${base}${path}`, { method })).status, `${method} ${path}`).toBe(418);
    }
  });
});
