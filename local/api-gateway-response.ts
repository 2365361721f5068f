import type { APIGatewayProxyResultV2 } from 'aws-lambda';

export interface HttpAnswer {
  status: number;
  /** Lower-cased names; a name may repeat (set-cookie). */
  headers: Array<[string, string]>;
  body: Buffer;
}

/**
 * What an HTTP API (payload 2.0) makes of a Lambda result: the runtime sends the result as JSON, so
 * undefined values vanish; headers with an empty value are not sent; a list value is joined with
 * commas; `cookies` become Set-Cookie headers; a bare string (or an object without `statusCode`) is a
 * 200 JSON answer.
 */
export function apiGatewayResponse(result: APIGatewayProxyResultV2): HttpAnswer {
  const wire = JSON.parse(JSON.stringify(result ?? null)) as unknown;
  if (typeof wire !== 'object' || wire === null || !('statusCode' in wire)) {
    const body = typeof wire === 'string' ? wire : JSON.stringify(wire);
    return { status: 200, headers: [['content-type', 'application/json']], body: Buffer.from(body) };
  }
  const structured = wire as {
    statusCode: number;
    headers?: Record<string, unknown>;
    cookies?: string[];
    body?: string;
    isBase64Encoded?: boolean;
  };
  const headers: Array<[string, string]> = [];
  for (const [name, value] of Object.entries(structured.headers ?? {})) {
    const text = Array.isArray(value) ? value.map(String).join(',') : String(value ?? '');
    if (text.trim() !== '') headers.push([name.toLowerCase(), text]);
  }
  for (const cookie of structured.cookies ?? []) headers.push(['set-cookie', cookie]);
  const body = structured.body ?? '';
  return {
    status: structured.statusCode,
    headers,
    body: structured.isBase64Encoded ? Buffer.from(body, 'base64') : Buffer.from(body),
  };
}
