import { createServer, request as httpRequest, type Server } from 'node:http';
import { connect } from 'node:net';

export interface TestProxy {
  port: number;
  /** `CONNECT host:port` tunnels and absolute-form requests seen, with their Proxy-Authorization. */
  seen: Array<{ method: string; target: string; authorization: string | undefined }>;
  close(): Promise<void>;
}

/** An HTTP proxy on 127.0.0.1 that demands Basic credentials, tunnels CONNECT and forwards plain requests. */
export async function startProxy(user: string, password: string): Promise<TestProxy> {
  const expected = `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
  const seen: TestProxy['seen'] = [];
  const server: Server = createServer((request, response) => {
    seen.push({
      method: request.method ?? '',
      target: request.url ?? '',
      authorization: request.headers['proxy-authorization'],
    });
    if (request.headers['proxy-authorization'] !== expected) {
      response.writeHead(407, { 'proxy-authenticate': 'Basic realm="test"' }).end();
      return;
    }
    const target = new URL(request.url ?? '');
    const headers = { ...request.headers };
    delete headers['proxy-authorization'];
    const upstream = httpRequest(
      {
        host: target.hostname,
        port: target.port,
        path: `${target.pathname}${target.search}`,
        method: request.method,
        headers,
      },
      (answer) => {
        response.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(response);
      },
    );
    request.pipe(upstream);
  });
  server.on('connect', (request, socket, head) => {
    seen.push({
      method: 'CONNECT',
      target: request.url ?? '',
      authorization: request.headers['proxy-authorization'],
    });
    if (request.headers['proxy-authorization'] !== expected) {
      socket.end(
        'HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm="test"\r\n\r\n',
      );
      return;
    }
    const [host, port] = (request.url ?? '').split(':');
    const upstream = connect(Number(port), host, () => {
      socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(socket);
      socket.pipe(upstream);
    });
    upstream.on('error', () => socket.destroy());
    socket.on('error', () => upstream.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const address = server.address();
  return {
    port: typeof address === 'object' && address ? address.port : 0,
    seen,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
