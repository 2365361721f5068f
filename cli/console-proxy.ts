import { randomBytes, createHash, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serveConsole } from '../local/console-site.ts';
import { send, type ApiRequest, type Target } from './transport.ts';

/** The admin API's own body limit; anything larger would be refused there anyway. */
const MAX_BODY_BYTES = 16 * 1024;
const METHODS = new Set(['GET', 'POST', 'PATCH', 'DELETE']);

export interface ConsoleProxyOptions {
  /** The deployed API, with SigV4 credentials (cli/transport.ts resolves them from the default chain). */
  target: Target;
  port: number;
  /** Each request as `METHOD /path status` (no query, no header, no body). */
  log?: (line: string) => void;
}

export interface ConsoleProxy {
  /** http://127.0.0.1:PORT */
  url: string;
  /** The per-run bearer token the page must send; printed once in the #token= address. */
  token: string;
  signInUrl: string;
  close(): Promise<void>;
}

function problem(
  response: ServerResponse,
  status: number,
  slug: string,
  title: string,
  detail: string,
): void {
  response
    .writeHead(status, { 'content-type': 'application/problem+json', 'cache-control': 'no-store' })
    .end(JSON.stringify({ type: `https://sms-mfa.invalid/problems/${slug}`, title, status, detail }));
}

async function readBody(request: IncomingMessage): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) return undefined;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

const digest = (value: string) => createHash('sha256').update(value).digest();

/**
 * `npm run console`: the admin console on 127.0.0.1 for a deployed stack. The page's admin calls come
 * here with a per-run bearer token and leave signed with SigV4 for `target` only; the AWS credentials
 * never reach the browser. A foreign Host (DNS rebinding) or Origin (another page) is refused, and so is
 * every path outside /admin/ and the console's own files. No CORS header is ever sent, so another
 * origin's preflight fails too.
 */
/** api.md "User ids in logs": a user's id never reaches a log line, so its path segment is not printed. */
export const loggedPath = (pathname: string): string =>
  pathname.replace(/\/users\/[^/]+/g, '/users/{userId}');

export async function startConsoleProxy(options: ConsoleProxyOptions): Promise<ConsoleProxy> {
  const token = randomBytes(32).toString('base64url');
  const tokenDigest = digest(token);
  const log = options.log ?? (() => undefined);
  let hosts = new Set<string>();

  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    const host = request.headers.host ?? '';
    if (!hosts.has(host)) {
      problem(
        response,
        403,
        'forbidden',
        'Forbidden',
        'This proxy answers only to its own 127.0.0.1 address.',
      );
      return;
    }
    const origin = request.headers.origin;
    const site = request.headers['sec-fetch-site'];
    if (
      (origin !== undefined && origin !== `http://${host}`) ||
      (site !== undefined && site !== 'same-origin' && site !== 'none')
    ) {
      problem(response, 403, 'forbidden', 'Forbidden', 'Requests from other origins are refused.');
      return;
    }
    if (await serveConsole(request, response)) return;
    // Dot segments are resolved before the check, so /admin/../ cannot step outside.
    const url = new URL(request.url ?? '/', `http://${host}`);
    if (!url.pathname.startsWith('/admin/')) {
      problem(
        response,
        404,
        'not-found',
        'Not found',
        'This proxy forwards only the admin API (/admin/...).',
      );
      return;
    }
    const method = request.method ?? 'GET';
    if (!METHODS.has(method)) {
      problem(response, 405, 'method-not-allowed', 'Method not allowed', `${method} is not forwarded.`);
      return;
    }
    const bearer = /^Bearer\s+(.+)$/i.exec(request.headers.authorization ?? '')?.[1]?.trim();
    if (!bearer || !timingSafeEqual(digest(bearer), tokenDigest)) {
      problem(
        response,
        401,
        'unauthorized',
        'Unauthorized',
        'Open the address that npm run console printed.',
      );
      return;
    }
    const text = await readBody(request);
    if (text === undefined) {
      problem(response, 413, 'payload-too-large', 'Payload too large', 'The request body is over 16 KiB.');
      return;
    }
    let body: unknown;
    try {
      body = text === '' ? undefined : JSON.parse(text);
    } catch {
      problem(response, 400, 'validation-failed', 'Validation failed', 'The request body is not JSON.');
      return;
    }
    const ifMatch = request.headers['if-match'];
    const forwarded: ApiRequest = {
      method: method as ApiRequest['method'],
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      body,
      ...(ifMatch !== undefined ? { ifMatch } : {}),
    };
    const answer = await send(options.target, forwarded).catch(() => undefined);
    if (!answer) {
      problem(
        response,
        502,
        'gateway-error',
        'No answer',
        `The API at ${options.target.baseUrl.origin} did not answer.`,
      );
      log(`${method} ${loggedPath(url.pathname)} no answer`);
      return;
    }
    log(`${method} ${loggedPath(url.pathname)} ${answer.status}`);
    const headers: Record<string, string> = { 'cache-control': 'no-store' };
    if (answer.contentType) headers['content-type'] = answer.contentType;
    response.writeHead(answer.status, headers).end(answer.status === 204 ? undefined : answer.text);
  };

  const server: Server = createServer((request, response) => {
    handle(request, response).catch(() => {
      if (!response.headersSent) problem(response, 500, 'internal', 'Internal error', 'The proxy failed.');
      else response.destroy();
    });
  });
  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(options.port, '127.0.0.1', () => ok());
  });
  const port = (server.address() as AddressInfo).port;
  hosts = new Set([`127.0.0.1:${port}`, `localhost:${port}`]);
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    token,
    signInUrl: `${url}/console/#token=${token}`,
    close: () =>
      new Promise((ok) => {
        server.closeAllConnections();
        server.close(() => ok());
      }),
  };
}
