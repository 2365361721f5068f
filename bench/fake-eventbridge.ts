import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * EventBridge's `PutEvents` (JSON protocol) on 127.0.0.1, accepting every entry: a bundle under
 * measurement then publishes its events through its real EventBridge adapter and SDK client, as it does
 * deployed (with EVENT_BUS_NAME set), instead of towards an AWS endpoint this machine cannot reach.
 */
export async function fakeEventBridge(): Promise<{
  url: string;
  entries: () => number;
  close(): Promise<void>;
}> {
  let entries = 0;
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const target = String(request.headers['x-amz-target'] ?? '');
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as { Entries?: unknown[] };
      response.writeHead(target === 'AWSEvents.PutEvents' ? 200 : 400, {
        'content-type': 'application/x-amz-json-1.1',
      });
      if (target !== 'AWSEvents.PutEvents') {
        response.end(JSON.stringify({ __type: 'ValidationException', message: `not served: ${target}` }));
        return;
      }
      const sent = body.Entries ?? [];
      entries += sent.length;
      response.end(
        JSON.stringify({ FailedEntryCount: 0, Entries: sent.map(() => ({ EventId: randomUUID() })) }),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    entries: () => entries,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
