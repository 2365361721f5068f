import { readFile } from 'node:fs/promises';
import http from 'node:http';
import https from 'node:https';
import { join } from 'node:path';
import { UsageError, type OptionValues } from './args.ts';
import { queryString, regionFromHost, signRequest, type AwsCredentials } from './sigv4.ts';

export const DEFAULT_URL = 'http://127.0.0.1:3000';
const TIMEOUT_MS = 30_000;

/** Local mode: the admin bearer token. Deployed: SigV4 with the default AWS credential chain. */
export type Auth =
  | { kind: 'bearer'; token: string }
  | { kind: 'sigv4'; region: string; credentials: () => Promise<AwsCredentials> };

export interface Target {
  baseUrl: URL;
  auth: Auth;
}

/** One call of the Admin API (docs: api.md, "Admin API"), as the transport sends it. */
export interface ApiRequest {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  query?: Record<string, string>;
  body?: unknown;
  ifMatch?: string;
}

export interface ApiResponse {
  status: number;
  contentType: string;
  text: string;
}

export function isLoopback(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || /^127(\.\d{1,3}){3}$/.test(hostname);
}

/** Any non-loopback https URL is a deployed API; `--sigv4` forces signing for any URL. */
export function usesSigV4(url: URL, forced: boolean): boolean {
  return forced || (url.protocol === 'https:' && !isLoopback(url.hostname));
}

/** `--url`, else `$SMS_MFA_URL`, else the local server. */
export function baseUrlOf(values: OptionValues, env: NodeJS.ProcessEnv): URL {
  const text = values.url ?? env.SMS_MFA_URL ?? DEFAULT_URL;
  let baseUrl: URL;
  try {
    baseUrl = new URL(text);
  } catch {
    throw new UsageError(`--url is not a URL: ${text}`);
  }
  if (baseUrl.protocol !== 'http:' && baseUrl.protocol !== 'https:') {
    throw new UsageError('--url must be http:// or https://');
  }
  return baseUrl;
}

export async function resolveTarget(values: OptionValues, env: NodeJS.ProcessEnv): Promise<Target> {
  const baseUrl = baseUrlOf(values, env);
  if (!usesSigV4(baseUrl, values.sigv4 === true)) {
    return { baseUrl, auth: { kind: 'bearer', token: await adminToken(values, env) } };
  }
  if (values.token !== undefined) {
    throw new UsageError('--token is for the local server; a deployed API takes SigV4-signed requests');
  }
  const region =
    values.region ?? regionFromHost(baseUrl.hostname) ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION;
  if (!region) throw new UsageError('cannot tell the AWS region: pass --region or set AWS_REGION');
  return { baseUrl, auth: { kind: 'sigv4', region, credentials: defaultCredentials() } };
}

async function adminToken(values: OptionValues, env: NodeJS.ProcessEnv): Promise<string> {
  const token = values.token ?? env.SMS_MFA_ADMIN_TOKEN;
  if (token) return token;
  const file = join(env.DATA_DIR || '.local', 'admin-token');
  const stored = (await readFile(file, 'utf8').catch(() => '')).trim();
  if (stored) return stored;
  throw new UsageError(
    `no admin token: pass --token, set SMS_MFA_ADMIN_TOKEN, or create ${file} (npm start)`,
  );
}

/** `fromNodeProviderChain()`, loaded only when signing and resolved once per run. */
function defaultCredentials(): () => Promise<AwsCredentials> {
  let credentials: Promise<AwsCredentials> | undefined;
  return () =>
    (credentials ??= import('@aws-sdk/credential-providers').then(({ fromNodeProviderChain }) =>
      fromNodeProviderChain()(),
    ));
}

/** The base URL's path (an API Gateway stage, say) followed by the route, and the encoded query. */
export function requestUrl(baseUrl: URL, request: ApiRequest): URL {
  const url = new URL(baseUrl.origin);
  url.pathname = `${baseUrl.pathname.replace(/\/+$/, '')}${request.path}`;
  url.search = request.query && Object.keys(request.query).length ? `?${queryString(request.query)}` : '';
  return url;
}

/** The exact request to send: URL, headers (signed or with the bearer token) and body. */
export async function prepareRequest(
  target: Target,
  request: ApiRequest,
  date?: Date,
): Promise<{ url: URL; headers: Record<string, string>; body?: string }> {
  const url = requestUrl(target.baseUrl, request);
  const body = request.body === undefined ? undefined : JSON.stringify(request.body);
  const headers: Record<string, string> = {
    accept: 'application/json, application/problem+json',
    ...(body !== undefined
      ? { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) }
      : {}),
    ...(request.ifMatch !== undefined ? { 'if-match': request.ifMatch } : {}),
  };
  if (target.auth.kind === 'bearer') {
    return { url, headers: { ...headers, authorization: `Bearer ${target.auth.token}` }, body };
  }
  const signed = await signRequest(
    { method: request.method, url, headers, body },
    { region: target.auth.region, credentials: target.auth.credentials, ...(date ? { date } : {}) },
  );
  return { url, headers: signed, body };
}

export async function send(target: Target, request: ApiRequest): Promise<ApiResponse> {
  const { url, headers, body } = await prepareRequest(target, request);
  const client = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const outgoing = client.request(url, { method: request.method, headers, timeout: TIMEOUT_MS }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('error', reject);
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          contentType: String(res.headers['content-type'] ?? ''),
          text: Buffer.concat(chunks).toString('utf8'),
        }),
      );
    });
    outgoing.on('timeout', () => outgoing.destroy(new Error(`no answer from ${url.origin} in 30 s`)));
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}

/** Statuses whose answer has no body (a `Response` refuses one). */
const NO_BODY = new Set([204, 205, 304]);

/**
 * A `fetch` for the typed client that sends each request as `send` does: with the admin token, or
 * SigV4-signed over the exact bytes sent. `target` is resolved on the first request only, so that a
 * command's own usage errors come before any about the token or region.
 */
export function transportFetch(target: () => Promise<Target>): (request: Request) => Promise<Response> {
  return async (request) => {
    const resolved = await target();
    const url = new URL(request.url);
    const basePath = resolved.baseUrl.pathname.replace(/\/+$/, '');
    const text = await request.text();
    const ifMatch = request.headers.get('if-match');
    const answer = await send(resolved, {
      method: request.method as ApiRequest['method'],
      path: url.pathname.slice(basePath.length),
      query: Object.fromEntries(url.searchParams),
      ...(text ? { body: JSON.parse(text) } : {}),
      ...(ifMatch !== null ? { ifMatch } : {}),
    });
    return new Response(NO_BODY.has(answer.status) ? null : answer.text, {
      status: answer.status,
      headers: answer.contentType ? { 'content-type': answer.contentType } : {},
    });
  };
}
