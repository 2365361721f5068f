import { createHash, createHmac } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

/** A request as a server received it. */
export interface Captured {
  method: string;
  url: string;
  headers: IncomingHttpHeaders | Record<string, string>;
  body: string;
}

/**
 * SigV4 written out from the AWS documentation with node:crypto, over the request as received: the
 * headers named in its SignedHeaders, the raw path and query, the body bytes and its x-amz-date.
 */
export function independentAuthorization(
  request: Captured,
  secret: string,
  region: string,
  service = 'execute-api',
): string {
  const header = (name: string) => String(request.headers[name] ?? '');
  const names = /SignedHeaders=([^,]+)/.exec(header('authorization'))![1]!.split(';');
  const amzDate = header('x-amz-date');
  const day = amzDate.slice(0, 8);
  const encode = (s: string) =>
    encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  const [path, search = ''] = request.url.split('?') as [string, string?];
  const canonicalQuery = search
    .split('&')
    .filter(Boolean)
    .map((pair) =>
      pair
        .split('=')
        .map((part) => encode(decodeURIComponent(part)))
        .join('='),
    )
    .sort()
    .join('&');
  const canonicalRequest = [
    request.method,
    path.split('/').map(encode).join('/'), // every service but S3 encodes the (already encoded) path again
    canonicalQuery,
    names.map((name) => `${name}:${header(name).trim()}\n`).join(''),
    names.join(';'),
    createHash('sha256').update(request.body).digest('hex'),
  ].join('\n');
  const scope = `${day}/${region}/${service}/aws4_request`;
  const stringToSign = [
    'AWS4-HMAC-SHA256',
    amzDate,
    scope,
    createHash('sha256').update(canonicalRequest).digest('hex'),
  ].join('\n');
  const hmac = (key: string | Buffer, data: string) => createHmac('sha256', key).update(data).digest();
  const key = [day, region, service, 'aws4_request'].reduce<Buffer | string>(
    (k, part) => hmac(k, part),
    `AWS4${secret}`,
  );
  const signature = createHmac('sha256', key).update(stringToSign).digest('hex');
  const accessKeyId = /Credential=([^/]+)\//.exec(header('authorization'))![1];
  return `AWS4-HMAC-SHA256 Credential=${accessKeyId}/${scope}, SignedHeaders=${names.join(';')}, Signature=${signature}`;
}
