import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { SecretStore } from '../shared/ports/secret-store.ts';

/**
 * Secrets Manager's `GetSecretValue` (JSON protocol) on 127.0.0.1, answered from the local stack's
 * secret store: a bundle under measurement then reads the code pepper through its real Secrets
 * Manager adapter and SDK client, as it does deployed, instead of the local file store.
 */
export async function fakeSecretsManager(
  secrets: SecretStore,
  namePrefix: string,
): Promise<{ url: string; calls: () => number; close(): Promise<void> }> {
  let calls = 0;
  const answer = (response: ServerResponse, status: number, body: unknown) => {
    response.writeHead(status, { 'content-type': 'application/x-amz-json-1.1' });
    response.end(JSON.stringify(body));
  };
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      calls++;
      void (async () => {
        const target = String(request.headers['x-amz-target'] ?? '');
        const { SecretId } = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as {
          SecretId?: string;
        };
        if (target !== 'secretsmanager.GetSecretValue' || !SecretId?.startsWith(namePrefix))
          return answer(response, 400, {
            __type: 'InvalidRequestException',
            message: `not served: ${target}`,
          });
        const value = await secrets.get(SecretId.slice(namePrefix.length));
        if (!value)
          return answer(response, 400, { __type: 'ResourceNotFoundException', message: 'no such secret' });
        answer(response, 200, {
          ARN: `arn:aws:secretsmanager:us-east-1:000000000000:secret:${SecretId}`,
          Name: SecretId,
          SecretString: JSON.stringify(value),
          VersionId: 'bench',
          CreatedDate: Date.now() / 1000,
        });
      })().catch((error: unknown) => answer(response, 500, { message: String(error) }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    calls: () => calls,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
