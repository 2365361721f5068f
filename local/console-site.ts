import type { IncomingMessage, ServerResponse } from 'node:http';
import { buildConsole, type ConsoleFiles } from '../console/build.ts';

const PREFIX = '/console/';

/** What every console response carries: the page loads only its own files and cannot be framed. */
const HEADERS = {
  'content-security-policy': "default-src 'self'",
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-cache',
};

let files: Promise<ConsoleFiles> | undefined;
/** Built once per process, on the first console request, so servers that never show it never build it. */
function consoleFiles(): Promise<ConsoleFiles> {
  files ??= buildConsole().catch((error: unknown) => {
    files = undefined;
    throw error;
  });
  return files;
}

/**
 * Serves the admin console under /console/ (GET and HEAD; a path that is not a file is a screen, so it
 * gets index.html). Returns false for every other request, which the caller then handles.
 */
export async function serveConsole(request: IncomingMessage, response: ServerResponse): Promise<boolean> {
  const { pathname } = new URL(request.url ?? '/', 'http://127.0.0.1');
  if (pathname !== '/console' && !pathname.startsWith(PREFIX)) return false;
  if (request.method !== 'GET' && request.method !== 'HEAD') return false;
  if (pathname === '/console') {
    response.writeHead(308, { ...HEADERS, location: PREFIX }).end();
    return true;
  }
  const built = await consoleFiles();
  const rest = pathname.slice(PREFIX.length);
  const file = built.get(rest) ?? (/\.\w+$/.test(rest) ? undefined : built.get('index.html'));
  if (!file) {
    response.writeHead(404, { ...HEADERS, 'content-type': 'text/plain; charset=utf-8' }).end('Not found\n');
    return true;
  }
  response.writeHead(200, {
    ...HEADERS,
    'content-type': file.contentType,
    'content-length': file.body.length,
  });
  response.end(request.method === 'HEAD' ? undefined : file.body);
  return true;
}
