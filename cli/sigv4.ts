import { createHash, createHmac, type Hash, type Hmac } from 'node:crypto';

export interface AwsCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

export interface SigningOptions {
  region: string;
  /** API Gateway's signing name unless a test says otherwise. */
  service?: string;
  credentials: AwsCredentials | (() => Promise<AwsCredentials>);
  /** The signing time; now unless fixed (tests). */
  date?: Date;
}

export interface SignableRequest {
  method: string;
  url: URL;
  /** Lower-case names; everything here is signed, so send exactly these. */
  headers: Record<string, string>;
  body?: string;
}

type Secret = string | ArrayBuffer | ArrayBufferView;

/** SHA-256 (or HMAC-SHA256 with a secret) on node:crypto, in the shape the smithy signer expects. */
class NodeSha256 {
  private hash: Hash | Hmac;

  constructor(private readonly secret?: Secret) {
    this.hash = this.start();
  }

  private start(): Hash | Hmac {
    if (this.secret === undefined) return createHash('sha256');
    const key =
      typeof this.secret === 'string'
        ? Buffer.from(this.secret, 'utf8')
        : ArrayBuffer.isView(this.secret)
          ? Buffer.from(this.secret.buffer, this.secret.byteOffset, this.secret.byteLength)
          : Buffer.from(this.secret);
    return createHmac('sha256', key);
  }

  update(data: Uint8Array | string): void {
    this.hash.update(data);
  }

  digest(): Promise<Uint8Array> {
    return Promise.resolve(new Uint8Array(this.hash.digest()));
  }

  reset(): void {
    this.hash = this.start();
  }
}

/**
 * The headers to send for `request`, signed with SigV4: the given ones plus `host`, `x-amz-date`,
 * `x-amz-security-token` (temporary credentials) and `authorization`. The query is read back from the
 * URL, so the URL's query string must already be RFC 3986-encoded (as `queryString` does).
 */
export async function signRequest(
  request: SignableRequest,
  options: SigningOptions,
): Promise<Record<string, string>> {
  const { SignatureV4 } = await import('@smithy/signature-v4'); // loaded only when signing
  const signer = new SignatureV4({
    service: options.service ?? 'execute-api',
    region: options.region,
    credentials: options.credentials,
    sha256: NodeSha256,
    applyChecksum: false,
  });
  const query: Record<string, string | string[]> = {};
  for (const key of new Set(request.url.searchParams.keys())) {
    const values = request.url.searchParams.getAll(key);
    query[key] = values.length === 1 ? values[0]! : values;
  }
  const signed = await signer.sign(
    {
      method: request.method,
      protocol: request.url.protocol,
      hostname: request.url.hostname,
      ...(request.url.port ? { port: Number(request.url.port) } : {}),
      path: request.url.pathname,
      query,
      headers: { ...request.headers, host: request.url.host },
      body: request.body,
    },
    options.date ? { signingDate: options.date } : {},
  );
  return signed.headers;
}

/** RFC 3986 encoding, the form SigV4 canonicalises to, so what is sent is what was signed. */
export function queryString(query: Record<string, string>): string {
  const strict = (s: string) =>
    encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return Object.entries(query)
    .map(([key, value]) => `${strict(key)}=${strict(value)}`)
    .join('&');
}

/** `abc123.execute-api.eu-west-2.amazonaws.com` (and VPC endpoint hosts) name their region. */
export function regionFromHost(hostname: string): string | undefined {
  return /\.execute-api\.([a-z0-9-]+)\.(?:vpce\.)?amazonaws\.com(?:\.cn)?$/.exec(hostname)?.[1];
}
