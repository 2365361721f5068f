import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type Server } from 'node:http';

export interface ReceivedDelivery {
  headers: Record<string, string | undefined>;
  body: string;
  json: { type: string; timestamp: string; data: Record<string, unknown> };
  status: number;
}

/**
 * A webhook receiver on 127.0.0.1 that records every delivery and answers with the statuses it is told
 * (in order, then 204).
 */
export async function startWebhookReceiver(answers: number[] = []) {
  const received: ReceivedDelivery[] = [];
  const queue = [...answers];
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const status = queue.shift() ?? 204;
      const headers = Object.fromEntries(
        ['webhook-id', 'webhook-timestamp', 'webhook-signature', 'content-type'].map((name) => [
          name,
          request.headers[name] as string | undefined,
        ]),
      );
      received.push({ headers, body, json: JSON.parse(body), status });
      response.statusCode = status;
      if (status >= 300 && status < 400) response.setHeader('location', 'http://127.0.0.1:1/elsewhere');
      response.end();
    });
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}/hooks`,
    received,
    /** Waits (polling, bounded) until `done` holds for what was received. */
    async until(done: (received: ReceivedDelivery[]) => boolean, timeoutMs = 15_000) {
      const end = Date.now() + timeoutMs;
      while (!done(received)) {
        if (Date.now() > end)
          throw new Error(`receiver: condition not met; got ${received.map((r) => r.json.type).join(', ')}`);
        await new Promise((ok) => setTimeout(ok, 25));
      }
    },
    stop: () => new Promise<void>((ok) => server.close(() => ok())),
  };
}

/**
 * An independent Standard Webhooks verifier (the spec's "Verifying webhooks": HMAC-SHA256 keyed by the
 * base64-decoded secret after `whsec_`, over `id.timestamp.body`, any `v1,` entry of the header matching).
 */
export function standardWebhookValid(
  secret: string,
  headers: Record<string, string | undefined>,
  body: string,
): boolean {
  const id = headers['webhook-id'];
  const timestamp = headers['webhook-timestamp'];
  const signatures = headers['webhook-signature'];
  if (!id || !timestamp || !signatures) return false;
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  const expected = createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest();
  return signatures.split(' ').some((entry) => {
    const [version, value] = entry.split(',');
    if (version !== 'v1' || !value) return false;
    const given = Buffer.from(value, 'base64');
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
}
